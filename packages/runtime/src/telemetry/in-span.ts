import { isLacquerError } from '@lacquer/errors';
import { type Context, type Span, type SpanOptions, SpanStatusCode } from '@opentelemetry/api';
import { lacquerTracer } from './tracer.ts';

/**
 * Runs `work` inside a new active span, a child of `parent`, and ends the span when `work`
 * settles. A throw marks the span as an error (with the exception and its Lacquer error code,
 * `lacquer.error.code`) and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  parent: Context,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return lacquerTracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records `error` on `span` and sets its status to ERROR. */
export function markFailed(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  if (isLacquerError(error)) span.setAttribute('lacquer.error.code', error.code);
}
