import { CONSUMERS, type ConsumerName } from '@lacquer/contracts';
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
  /**
   * Stops pulling and lets the messages in hand finish for up to `graceMs` (default: no
   * limit). Past it, their handlers' signals abort; a handler that has not settled
   * {@link ABORT_SETTLE_MS} later has its message handed back (`nak`) for another replica.
   * Resolves when every slot is done.
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
}

/** How long aborted handlers get to hand their messages back themselves, ms. */
export const ABORT_SETTLE_MS = 2000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pulls a durable consumer one message at a time per slot and awaits `handle` for each (no
 * prefetch: a message waits in the stream, where any replica can take it, rather than in
 * one replica's buffer). Survives NATS outages and a consumer that is deleted and created
 * again: it logs, waits a second, and pulls again. `handle` must ack, nak or term; its
 * `signal` aborts when a stop runs out of grace, and the handler should then `nak`.
 */
export function startPullLoop(
  options: PullLoopOptions,
  handle: (message: JsMsg, signal: AbortSignal) => Promise<void>,
): RunningConsumer {
  let stopping = false;
  const shutdown = new AbortController();
  const inHand = new Set<JsMsg>();
  const { stream, durableName } = CONSUMERS[options.consumer];

  const runSlot = async (): Promise<void> => {
    let consumer: Consumer | null = null;
    while (!stopping) {
      try {
        consumer ??= await options.js.consumers.get(stream, durableName);
        const message = await consumer.next({ expires: options.pullExpiresMs ?? 2000 });
        if (!message) continue;
        if (stopping) {
          message.nak();
          break;
        }
        inHand.add(message);
        try {
          await handle(message, shutdown.signal);
        } finally {
          inHand.delete(message);
        }
      } catch (error) {
        options.log.warn({ err: error, consumer: durableName }, 'pull failed; retrying in 1 s');
        consumer = null;
        await pause(1000);
      }
    }
  };

  const running = Promise.all(Array.from({ length: options.slots ?? 1 }, () => runSlot()));
  return {
    async stop(stopOptions = {}) {
      stopping = true;
      const { graceMs } = stopOptions;
      const finishedWithin = (ms: number): Promise<boolean> =>
        Promise.race([running.then(() => true), pause(ms).then(() => false)]);
      if (graceMs === undefined) {
        await running;
        return;
      }
      if (await finishedWithin(graceMs)) return;
      options.log.warn(
        { messages: inHand.size, graceMs },
        'grace period over: handing back the messages in hand',
      );
      shutdown.abort();
      if (await finishedWithin(ABORT_SETTLE_MS)) return;
      for (const message of inHand) message.nak();
    },
  };
}
