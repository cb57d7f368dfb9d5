// The decision service: TrackAnalyzed → MasteringDecided.
import { JobStep } from '@lacquer/contracts';
import { loadConfig, runWorkerService, workerEnv } from '@lacquer/runtime';
import { onTrackAnalyzed } from './handlers/on-track-analyzed.ts';

await runWorkerService({
  name: 'decision',
  consumer: 'decision',
  step: JobStep.DECIDE,
  config: loadConfig(workerEnv, process.env),
  createHandler: onTrackAnalyzed,
});
