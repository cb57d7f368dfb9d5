import { createHash } from 'node:crypto';

/**
 * SHA-256 (lowercase hex, 64 characters) of an `Idempotency-Key`'s UTF-8 bytes. The key is
 * user input of any length and alphabet, so stores keep this hash, never the key itself.
 */
export function idempotencyKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
