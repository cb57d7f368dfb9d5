import { JobStep } from '@lacquer/contracts';
import type { WorkerConfig, WorkerServiceDefinition } from '@lacquer/runtime';
import { onJobRequested } from './handlers/on-job-requested.ts';

/** The analyzer worker: JobRequested → TrackAnalyzed; decoding and measuring run in worker threads. */
export function analyzerService(config: WorkerConfig): WorkerServiceDefinition {
  return {
    name: 'analyzer',
    step: JobStep.ANALYZE,
    config,
    taskModule: new URL('./tasks/analyze-files.ts', import.meta.url),
    createHandler: (ports) =>
      onJobRequested(ports, {
        maxDurationSeconds: config.LACQUER_MAX_DURATION_SECONDS,
        longFileSeconds: config.LACQUER_LONG_FILE_SECONDS,
      }),
  };
}
