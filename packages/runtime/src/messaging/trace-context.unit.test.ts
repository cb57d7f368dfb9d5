import { describe, expect, it } from 'vitest';
import { childTraceparent, newTraceparent, traceIdOf } from './trace-context.ts';

/** W3C Trace Context §3.2: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lowercase. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** The four fields of a `traceparent`. */
const fieldsOf = (traceparent: string) => {
  const [version, traceId, spanId, flags] = traceparent.split('-');
  return { version, traceId, spanId, flags };
};

describe('newTraceparent', () => {
  it('is a version 00, sampled traceparent', () => {
    const traceparent = newTraceparent();

    expect(traceparent).toMatch(TRACEPARENT);
    expect(fieldsOf(traceparent)).toMatchObject({ version: '00', flags: '01' });
  });

  it('starts a different trace and span each time', () => {
    const [first, second] = [fieldsOf(newTraceparent()), fieldsOf(newTraceparent())];

    expect([first.traceId === second.traceId, first.spanId === second.spanId]).toEqual([false, false]);
  });
});

describe('childTraceparent', () => {
  it('keeps the trace id and flags of the parent with a new span id', () => {
    const child = childTraceparent(PARENT);

    expect(child).toMatch(TRACEPARENT);
    const { spanId, ...kept } = fieldsOf(child);
    expect(kept).toEqual({ version: '00', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    expect(spanId).not.toBe('00f067aa0ba902b7');
  });

  it('keeps the flags of an unsampled parent', () => {
    const child = childTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');

    expect(fieldsOf(child)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '00' });
  });

  it('gives two children of one parent different span ids', () => {
    expect(fieldsOf(childTraceparent(PARENT)).spanId).not.toBe(fieldsOf(childTraceparent(PARENT)).spanId);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a traceparent', 'hello'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['an unknown version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['trailing data', `${PARENT}-extra`],
  ])('starts a new sampled trace when the parent is %s', (_case, parent) => {
    const child = childTraceparent(parent);

    expect(child).toMatch(TRACEPARENT);
    expect(fieldsOf(child)).toMatchObject({ flags: '01' });
    expect(traceIdOf(child)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
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
