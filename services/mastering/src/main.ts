// The mastering worker: MasteringDecided → MasterRendered, JobCompleted.
import { JobStep } from '@lacquer/contracts';
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { onMasteringDecided } from './handlers/on-mastering-decided.ts';

await startService('mastering', async () => {
  const config = loadConfig(workerEnv, process.env);
  await runWorkerService({
    name: 'mastering',
    step: JobStep.MASTER,
    config,
    taskModule: new URL('./tasks/render-master-file.ts', import.meta.url),
    createHandler: (ports) =>
      onMasteringDecided(ports, {
        maxDurationSeconds: config.LACQUER_MAX_DURATION_SECONDS,
        longFileSeconds: config.LACQUER_LONG_FILE_SECONDS,
      }),
  });
});
