// The analyzer process: JobRequested → TrackAnalyzed.
import { loadConfig, runWorkerService, startService, workerEnv } from '@lacquer/runtime';
import { analyzerService } from './analyzer-service.ts';

await startService('analyzer', () => runWorkerService(analyzerService(loadConfig(workerEnv, process.env))));
