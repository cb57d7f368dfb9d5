// `pnpm chart:pipeline [--check]`: writes charts/lacquer/files/pipeline.json, the stream and
// durable consumer of every pipeline worker, from @lacquer/contracts (the one source of those
// names). The chart's templates read that file (`.Files.Get`), so values.yaml names no stream
// or consumer. `--check` writes nothing and exits 1 when the file is stale (CI).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONSUMERS, JOBS_STREAM_NAME, PIPELINE_STEPS } from '@lacquer/contracts';

/** Where the chart reads the pipeline from (absolute path). */
export const CHART_PIPELINE_PATH = fileURLToPath(
  new URL('../../charts/lacquer/files/pipeline.json', import.meta.url),
);

/** What the chart needs to know about one worker's durable consumer. */
export interface ChartPipelineWorker {
  /** The stream the consumer reads (`JOBS`). */
  readonly stream: string;
  /** The durable consumer's name: the KEDA trigger's `consumer`. */
  readonly durableName: string;
  /** The consumer's filter subject, e.g. `lacquer.job.requested.*`. */
  readonly filterSubject: string;
}

/** The content of charts/lacquer/files/pipeline.json. */
export interface ChartPipeline {
  /** Where the file comes from (JSON has no comments). */
  readonly generatedBy: string;
  /** The stream every job event is in. */
  readonly jobsStream: string;
  /** Each pipeline worker by its consumer's name in `CONSUMERS` (also the worker's name in the chart). */
  readonly workers: Readonly<Record<string, ChartPipelineWorker>>;
}

/** The pipeline as the chart sees it: one entry per step of `PIPELINE_STEPS`. */
export function chartPipeline(): ChartPipeline {
  const workers: Record<string, ChartPipelineWorker> = {};
  for (const step of PIPELINE_STEPS) {
    const consumer = CONSUMERS[step.consumer];
    if (consumer.filterSubject === null) {
      throw new TypeError(
        `consumer ${step.consumer} has no filter subject: a worker consumes one event type`,
      );
    }
    workers[step.consumer] = {
      stream: consumer.stream,
      durableName: consumer.durableName,
      filterSubject: consumer.filterSubject,
    };
  }
  return {
    generatedBy:
      'scripts/deploy/write-chart-pipeline.ts (pnpm chart:pipeline) from @lacquer/contracts; do not edit',
    jobsStream: JOBS_STREAM_NAME,
    workers,
  };
}

/** `value` with the keys of every object sorted, so the file does not change with insertion order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, sortKeys(entry)]),
    );
  }
  return value;
}

/** The exact text of pipeline.json: sorted keys, two-space indent, a trailing newline. */
export function chartPipelineJson(pipeline: ChartPipeline = chartPipeline()): string {
  return `${JSON.stringify(sortKeys(pipeline), null, 2)}\n`;
}

/** The lines that differ between `actual` and `expected`, `-` for actual's and `+` for expected's. */
export function describeDifference(actual: string, expected: string): string {
  const actualLines = actual.split('\n');
  const expectedLines = expected.split('\n');
  const removed = actualLines.filter((line) => !expectedLines.includes(line)).map((line) => `- ${line}`);
  const added = expectedLines.filter((line) => !actualLines.includes(line)).map((line) => `+ ${line}`);
  const lines = [...removed, ...added];
  return lines.length > 0 ? lines.join('\n') : '(same lines, different order or line endings)';
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    // pnpm passes the `--` of `pnpm chart:pipeline -- --check` on.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    strict: true,
    options: { check: { type: 'boolean', default: false } },
  });
  const expected = chartPipelineJson();
  const actual = await readIfPresent(CHART_PIPELINE_PATH);
  if (values.check) {
    if (actual === expected) {
      console.log(`chart:pipeline: ${CHART_PIPELINE_PATH} is up to date`);
      return;
    }
    console.error(
      actual === null
        ? `chart:pipeline: ${CHART_PIPELINE_PATH} is missing`
        : `chart:pipeline: ${CHART_PIPELINE_PATH} differs from @lacquer/contracts:\n${describeDifference(actual, expected)}`,
    );
    console.error('run `pnpm chart:pipeline` and commit the file');
    process.exitCode = 1;
    return;
  }
  if (actual === expected) {
    console.log(`chart:pipeline: ${CHART_PIPELINE_PATH} already up to date`);
    return;
  }
  await writeFile(CHART_PIPELINE_PATH, expected);
  console.log(`chart:pipeline: wrote ${CHART_PIPELINE_PATH}`);
}

// Run only as a script: the unit test imports the functions above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`chart:pipeline: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
}
