import { isLacquerError } from '@lacquer/errors';

/**
 * Runs a service's start-up and, when it fails (bad settings, NATS unreachable), prints one
 * line an operator can act on — `<service>: cannot start: <CODE>: <message>` — and exits 1,
 * instead of an unhandled rejection's stack trace.
 */
export async function startService(service: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    const reason = isLacquerError(error)
      ? `${error.code}: ${error.message}`
      : String((error as Error)?.stack ?? error);
    process.stderr.write(`${service}: cannot start: ${reason}\n`);
    process.exit(1);
  }
}
