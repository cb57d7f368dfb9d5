import { JobStep } from '@lacquer/contracts';
import type { WorkerConfig, WorkerServiceDefinition } from '@lacquer/runtime';
import { onMasteringDecided } from './handlers/on-mastering-decided.ts';

/** The mastering worker: MasteringDecided → MasterRendered, JobCompleted; rendering runs in worker threads. */
export function masteringService(config: WorkerConfig): WorkerServiceDefinition {
  return {
    name: 'mastering',
    step: JobStep.MASTER,
    config,
    taskModule: new URL('./tasks/render-master-file.ts', import.meta.url),
    createHandler: (ports) =>
      onMasteringDecided(ports, {
        maxDurationSeconds: config.LACQUER_MAX_DURATION_SECONDS,
        longFileSeconds: config.LACQUER_LONG_FILE_SECONDS,
      }),
  };
}
