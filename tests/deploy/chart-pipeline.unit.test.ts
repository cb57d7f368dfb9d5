import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSUMERS, JOBS_STREAM_NAME, PIPELINE_STEPS } from '@lacquer/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CHART_PIPELINE_PATH,
  type ChartPipeline,
  chartPipeline,
  chartPipelineJson,
  describeDifference,
} from '../../scripts/deploy/write-chart-pipeline.ts';

// The chart's stream and consumer names come from the code through one committed file,
// charts/lacquer/files/pipeline.json; these tests fail when that file or the chart's values
// drift from @lacquer/contracts.

const committed = readFileSync(CHART_PIPELINE_PATH, 'utf8');
const values = parse(
  readFileSync(fileURLToPath(new URL('../../charts/lacquer/values.yaml', import.meta.url)), 'utf8'),
) as { workers: Record<string, { enabled: boolean }> };

describe('charts/lacquer/files/pipeline.json', () => {
  it('is what `pnpm chart:pipeline` writes from @lacquer/contracts', () => {
    expect(
      committed,
      `stale: run pnpm chart:pipeline\n${describeDifference(committed, chartPipelineJson())}`,
    ).toBe(chartPipelineJson());
  });

  it('lists every pipeline worker with its durable consumer on the JOBS stream', () => {
    const pipeline = JSON.parse(committed) as ChartPipeline;
    expect(pipeline.jobsStream).toBe(JOBS_STREAM_NAME);
    expect(Object.keys(pipeline.workers).sort()).toEqual(PIPELINE_STEPS.map((step) => step.consumer).sort());
    for (const step of PIPELINE_STEPS) {
      const consumer = CONSUMERS[step.consumer];
      expect(pipeline.workers[step.consumer]).toEqual({
        stream: JOBS_STREAM_NAME,
        durableName: consumer.durableName,
        filterSubject: consumer.filterSubject,
      });
    }
  });

  it('is stable: sorted keys, two-space indent, one trailing newline', () => {
    const text = chartPipelineJson();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(chartPipelineJson()).toBe(text);
    const workerNames = Object.keys((JSON.parse(text) as ChartPipeline).workers);
    expect(workerNames).toEqual([...workerNames].sort());
  });

  it('fails the comparison when a consumer changes (the check can fail)', () => {
    const pipeline = chartPipeline();
    const renamed: ChartPipeline = {
      ...pipeline,
      workers: {
        ...pipeline.workers,
        analyzer: { ...pipeline.workers.analyzer!, durableName: 'analyzer-v2' },
      },
    };
    expect(chartPipelineJson(renamed)).not.toBe(committed);
    expect(describeDifference(committed, chartPipelineJson(renamed))).toContain('+ ');
  });
});

describe('the chart workers and the code', () => {
  it('enables by default exactly the workers the code has consumers for', () => {
    const enabled = Object.entries(values.workers)
      .filter(([, worker]) => worker.enabled)
      .map(([name]) => name)
      .sort();
    expect(enabled).toEqual(PIPELINE_STEPS.map((step) => step.consumer).sort());
  });

  it('keeps the separator, which the code has no consumer for yet, disabled', () => {
    expect(values.workers.separator?.enabled).toBe(false);
    expect(Object.keys(chartPipeline().workers)).not.toContain('separator');
  });

  it('puts no stream or consumer name in values.yaml', () => {
    // Comments may talk about the stream; values may not name it.
    const text = readFileSync(
      fileURLToPath(new URL('../../charts/lacquer/values.yaml', import.meta.url)),
      'utf8',
    )
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, ''))
      .join('\n');
    expect(text).not.toMatch(/^\s*(stream|consumer|durableName|filterSubject)\s*:/m);
    expect(text).not.toMatch(new RegExp(`\\b${JOBS_STREAM_NAME}\\b`));
  });
});
