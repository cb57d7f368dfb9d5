import type { Logger } from 'pino';

/**
 * Calls `shutdown` once on SIGTERM or SIGINT, then exits 0 (1 when it throws). A second
 * signal while shutting down exits at once with 1.
 */
export function shutdownOnSignal(shutdown: () => Promise<void>, log: Logger): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
