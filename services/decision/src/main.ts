// The decision service: TrackAnalyzed → MasteringDecided.
import { JobStep } from '@lacquer/contracts';
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { onTrackAnalyzed } from './handlers/on-track-analyzed.ts';

await startService('decision', async () => {
  await runWorkerService({
    name: 'decision',
    step: JobStep.DECIDE,
    config: loadConfig(workerEnv, process.env),
    createHandler: onTrackAnalyzed,
  });
});
