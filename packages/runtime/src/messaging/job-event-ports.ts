import type { JobEvent } from '@lacquer/contracts';

/** An event of the log with its stream sequence. */
export interface SequencedJobEvent {
  readonly event: JobEvent;
  /** JetStream stream sequence, increasing. */
  readonly sequence: number;
}

/** Publishes job events to the stream. */
export interface JobEventPublisher {
  /**
   * Publishes `event` on its subject with the standard headers; `messageId` defaults to the
   * event's deterministic id (`jobEventMessageId`).
   * @returns the stream sequence, and whether JetStream dropped it as a duplicate.
   */
  publish(
    event: JobEvent,
    options?: { readonly messageId?: string; readonly traceparent?: string },
  ): Promise<{ readonly sequence: number; readonly duplicate: boolean }>;
}

/** Reads one job's history from the stream. */
export interface JobEventFeed {
  /**
   * Every event of the job from the first, then new ones as they are published, until
   * `signal` aborts.
   */
  follow(jobId: string, signal: AbortSignal): AsyncIterable<SequencedJobEvent>;
}
