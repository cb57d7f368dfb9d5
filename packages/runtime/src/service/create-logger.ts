import { type Logger, pino } from 'pino';

/**
 * The service's JSON logger (pino) on stdout: one line per record, with `service` on every
 * record; handlers add `jobId`, `traceId` and the stream sequence through child loggers.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
