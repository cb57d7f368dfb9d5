import { randomBytes } from 'node:crypto';

/** W3C Trace Context `traceparent`: version 00, 32-hex trace id, 16-hex parent span id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A `traceparent` that starts a new trace (sampled). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * A `traceparent` for a child span of `parent` (same trace id, new span id); a new trace
 * when `parent` is missing, malformed, or has an all-zero id.
 */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  // An all-zero trace or span id is invalid (W3C Trace Context §3.2.2.3, §3.2.2.4).
  if (!match || /^0+$/.test(match[1] ?? '') || /^0+$/.test(match[2] ?? '')) return newTraceparent();
  return `00-${match[1]}-${randomBytes(8).toString('hex')}-${match[3]}`;
}

/** The trace id of a `traceparent`, or `undefined`. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
}
