import { type Logger, pino } from 'pino';
import { logTraceFields } from '../telemetry/log-trace-fields.ts';

/**
 * The service's JSON logger (pino) on stdout: one line per record, with `service` on every
 * record, and `traceId` and `spanId` on every record written inside a span; handlers add
 * `jobId` and the stream sequence through child loggers.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: logTraceFields,
  });
}
