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
   * event's deterministic id (`jobEventMessageId`). With `expectLastSubjectSequence`, JetStream
   * stores it only if the last message on its subject is at that sequence (0: none), whatever
   * the de-duplication window: the guard that makes a fact be published once.
   * @returns the stream sequence (0 when not stored), and `duplicate` when JetStream did not
   *   store it: the same message id within the window, or another message already on the
   *   subject past `expectLastSubjectSequence`.
   */
  publish(
    event: JobEvent,
    options?: {
      readonly messageId?: string;
      readonly traceparent?: string;
      readonly expectLastSubjectSequence?: number;
    },
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
