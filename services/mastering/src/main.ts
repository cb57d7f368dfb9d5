// The mastering process: MasteringDecided → MasterRendered, JobCompleted.
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { masteringService } from './mastering-service.ts';

await startService('mastering', () => runWorkerService(masteringService(loadConfig(workerEnv, process.env))));
