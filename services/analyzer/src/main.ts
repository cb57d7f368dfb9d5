// The analyzer service: JobRequested → TrackAnalyzed.
import { JobStep } from '@lacquer/contracts';
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { onJobRequested } from './handlers/on-job-requested.ts';

await startService('analyzer', async () => {
  const config = loadConfig(workerEnv, process.env);
  await runWorkerService({
    name: 'analyzer',
    step: JobStep.ANALYZE,
    config,
    taskModule: new URL('./tasks/analyze-files.ts', import.meta.url),
    createHandler: (ports) =>
      onJobRequested(ports, {
        maxDurationSeconds: config.LACQUER_MAX_DURATION_SECONDS,
        longFileSeconds: config.LACQUER_LONG_FILE_SECONDS,
      }),
  });
});
