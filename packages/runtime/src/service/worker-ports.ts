import type { JetStreamManager } from '@nats-io/jetstream';
import type { BlobStore } from '../blob/blob-store.ts';
import type { JobEventPublisher } from '../messaging/job-event-ports.ts';
import type { TaskPool } from './task-pool.ts';

/** What a worker service's handlers are given: its ports, no globals. */
export interface WorkerPorts {
  readonly blobStore: BlobStore;
  readonly publisher: JobEventPublisher;
  /** For reading the event log (e.g. `readJobRequest`). */
  readonly jsm: JetStreamManager;
  /** The service's worker threads for decoding and DSP. */
  readonly tasks: TaskPool;
  readonly now: () => Date;
}
