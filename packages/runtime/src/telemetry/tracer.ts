import { type Tracer, trace } from '@opentelemetry/api';

/** The instrumentation scope of Lacquer's own spans (messaging, pipeline steps). */
export const TRACER_NAME = '@lacquer/runtime';

/** Lacquer's tracer from the registered provider (a no-op one when none is registered). */
export function lacquerTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
