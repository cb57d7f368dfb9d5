import { createHash, timingSafeEqual } from 'node:crypto';
import { isSubjectToken } from '@lacquer/contracts';

/** An API key as the gateway holds it: the SHA-256 of the key, never the key itself. */
export interface ApiKeyHash {
  /** The tenant the key acts for (a subject token). */
  readonly tenantId: string;
  /** SHA-256 of the key's UTF-8 bytes, 32 bytes. */
  readonly keySha256: Buffer;
}

/** The tenant of the plaintext `LACQUER_API_KEY` (one machine, one tenant). */
export const LOCAL_TENANT_ID = 'local';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** SHA-256 of an API key's UTF-8 bytes. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * Parses `LACQUER_API_KEYS`: a comma-separated list of `tenantId:sha256hex` (operators hash
 * the key themselves, e.g. `printf %s "$KEY" | sha256sum`). Blank entries are skipped.
 *
 * @returns the hashes, or the problems of each malformed entry (never echoing a hash).
 */
export function parseApiKeyHashes(
  list: string,
): { readonly keys: readonly ApiKeyHash[] } | { readonly problems: readonly string[] } {
  const keys: ApiKeyHash[] = [];
  const problems: string[] = [];
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .forEach((entry, index) => {
      const separator = entry.indexOf(':');
      const tenantId = separator < 0 ? '' : entry.slice(0, separator);
      const hex = separator < 0 ? '' : entry.slice(separator + 1);
      if (!isSubjectToken(tenantId)) {
        problems.push(`entry ${index + 1}: the tenant id must be 1 … 128 letters, digits, "-" or "_"`);
      } else if (!SHA256_HEX.test(hex)) {
        problems.push(
          `entry ${index + 1} (tenant ${tenantId}): expected tenantId:<64 hex digits of SHA-256>`,
        );
      } else {
        keys.push({ tenantId, keySha256: Buffer.from(hex, 'hex') });
      }
    });
  return problems.length > 0 ? { problems } : { keys };
}

/**
 * The tenant whose key is `presentedKey`, or `null`. The presented key is hashed and compared
 * with every known hash in constant time (`timingSafeEqual`), all of them, so the time taken
 * says nothing about which or how many prefixes matched.
 */
export function tenantOfApiKey(keys: readonly ApiKeyHash[], presentedKey: string): string | null {
  const presented = hashApiKey(presentedKey);
  let tenantId: string | null = null;
  for (const key of keys) {
    if (timingSafeEqual(key.keySha256, presented) && tenantId === null) tenantId = key.tenantId;
  }
  return tenantId;
}

/** The key of an `Authorization: Bearer <key>` header, or `null` when there is none. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = authorization ? /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization) : null;
  return match?.[1] ?? null;
}
