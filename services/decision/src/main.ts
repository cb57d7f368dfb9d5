// The decision process: TrackAnalyzed → MasteringDecided.
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { decisionService } from './decision-service.ts';

await startService('decision', () => runWorkerService(decisionService(loadConfig(workerEnv, process.env))));
