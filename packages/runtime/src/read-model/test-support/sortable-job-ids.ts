import { randomBytes } from 'node:crypto';

/**
 * A source of UUIDv7-shaped job ids for tests, in strictly increasing order: the n-th id
 * carries the timestamp `startMs + n` ms (RFC 9562 §5.7 layout: 48-bit Unix ms, version 7,
 * variant 10, random bits), so lexical order is creation order, as with the platform's ids.
 */
export function sortableJobIds(startMs: number): () => string {
  let count = 0;
  return () => {
    const timestampHex = (startMs + count).toString(16).padStart(12, '0');
    count += 1;
    const random = randomBytes(10).toString('hex');
    const variant = ((Number.parseInt(random[3] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return [
      timestampHex.slice(0, 8),
      timestampHex.slice(8, 12),
      `7${random.slice(0, 3)}`,
      `${variant}${random.slice(4, 7)}`,
      random.slice(7, 19),
    ].join('-');
  };
}
