import { LacquerError } from '@lacquer/errors';

/** Runs a JetStream call, turning its failures into `NATS_UNAVAILABLE` (retryable). */
export async function natsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new LacquerError('NATS_UNAVAILABLE', `could not ${what}: ${(cause as Error).message}`, { cause });
  }
}
