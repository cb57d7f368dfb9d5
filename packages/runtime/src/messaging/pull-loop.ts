import { CONSUMERS, type ConsumerName, JOBS_STREAM_NAME } from '@lacquer/contracts';
import type { Consumer, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';

/** Options of {@link startPullLoop}. */
export interface PullLoopOptions {
  readonly js: JetStreamClient;
  readonly consumer: ConsumerName;
  /** Messages handled at once, 1 … 64 (default 1). */
  readonly slots?: number;
  /** How long one pull waits for a message, ms, at least 1000 (default 2000); bounds how fast `stop` returns. */
  readonly pullExpiresMs?: number;
  readonly log: Logger;
}

/** A running pull loop. */
export interface RunningConsumer {
  /** Stops pulling, waits for the messages in hand to be handled, then resolves. */
  stop(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pulls a durable consumer one message at a time per slot and awaits `handle` for each (no
 * prefetch: a message waits in the stream, where any replica can take it, rather than in
 * one replica's buffer). Survives NATS outages and a consumer that is deleted and created
 * again: it logs, waits a second, and pulls again. `handle` must ack, nak or term.
 */
export function startPullLoop(
  options: PullLoopOptions,
  handle: (message: JsMsg) => Promise<void>,
): RunningConsumer {
  let stopping = false;
  const durableName = CONSUMERS[options.consumer].durableName;

  const runSlot = async (): Promise<void> => {
    let consumer: Consumer | null = null;
    while (!stopping) {
      try {
        consumer ??= await options.js.consumers.get(JOBS_STREAM_NAME, durableName);
        const message = await consumer.next({ expires: options.pullExpiresMs ?? 2000 });
        if (!message) continue;
        if (stopping) {
          message.nak();
          break;
        }
        await handle(message);
      } catch (error) {
        options.log.warn({ err: error, consumer: durableName }, 'pull failed; retrying in 1 s');
        consumer = null;
        await pause(1000);
      }
    }
  };

  const running = Array.from({ length: options.slots ?? 1 }, () => runSlot());
  return {
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}
