import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { contextOfTraceparent, traceIdOf, traceparentOf } from './trace-context.ts';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('contextOfTraceparent', () => {
  it('carries the trace id, parent span id and sampled flag of the header', () => {
    const spanContext = trace.getSpanContext(contextOfTraceparent(PARENT));

    expect(spanContext).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a traceparent', 'hello'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
  ])('is the root context (a new trace) when the header is %s', (_case, header) => {
    expect(trace.getSpanContext(contextOfTraceparent(header))).toBeUndefined();
  });
});

describe('traceparentOf', () => {
  it('gives back the header a context was read from', () => {
    expect(traceparentOf(contextOfTraceparent(PARENT))).toBe(PARENT);
  });

  it('keeps an unsampled flag', () => {
    const unsampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';

    expect(traceparentOf(contextOfTraceparent(unsampled))).toBe(unsampled);
  });

  it('is undefined without a span', () => {
    expect(traceparentOf(ROOT_CONTEXT)).toBeUndefined();
  });
});

describe('traceIdOf', () => {
  it.each([
    [PARENT, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['hello', undefined],
    [undefined, undefined],
  ])('of %s is %s', (traceparent, traceId) => {
    expect(traceIdOf(traceparent)).toBe(traceId);
  });
});
