import { createHmac, timingSafeEqual } from 'node:crypto';
import { LacquerError } from '@lacquer/errors';

/** The shortest signing secret accepted: 32 bytes, the output size of SHA-256. */
export const MIN_SIGNING_SECRET_BYTES = 32;

/** What a signed URL grants: one method on one key until a moment, with optional limits. */
export interface SignedUrlClaims {
  readonly method: 'GET' | 'PUT';
  readonly key: string;
  /** The URL is refused after this moment (Unix time, seconds). */
  readonly expiresAtEpochSeconds: number;
  /** Uploads only: the most bytes the request body may hold. */
  readonly maxSizeBytes?: number;
  /** Uploads only: the `Content-Type` the request must carry. */
  readonly contentType?: string;
  /** Downloads only: the file name offered in `Content-Disposition`. */
  readonly filename?: string;
}

/** Signs and verifies {@link SignedUrlClaims} with one secret. */
export interface UrlSigner {
  /** The signature of `claims`: HMAC-SHA256, lowercase hex (64 characters). */
  sign(claims: SignedUrlClaims): string;
  /**
   * Checks `signature` against `claims` (in constant time), then the expiry against `now()`.
   *
   * @throws LacquerError `SIGNED_URL_INVALID` when the signature does not match (any claim
   *   altered, or another secret); `SIGNED_URL_EXPIRED` when it matches but `now()` is past
   *   `expiresAtEpochSeconds`.
   */
  verify(claims: SignedUrlClaims, signature: string): void;
}

/** Options of {@link createUrlSigner}. */
export interface UrlSignerOptions {
  /** At least {@link MIN_SIGNING_SECRET_BYTES} bytes (a string counts its UTF-8 bytes). */
  readonly secret: string | Uint8Array;
  /** The clock expiry is checked against. */
  readonly now: () => Date;
}

/**
 * HMAC-SHA256 signer for the file-system blob store's URLs. Every claim is part of the signed
 * message (JSON-encoded, so no two claim sets share a message), so changing the method, key,
 * expiry, size limit, content type or file name invalidates the signature.
 *
 * @throws TypeError when the secret is shorter than {@link MIN_SIGNING_SECRET_BYTES}.
 */
export function createUrlSigner(options: UrlSignerOptions): UrlSigner {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
  if (secret.byteLength < MIN_SIGNING_SECRET_BYTES) {
    throw new TypeError(
      `the signing secret has ${secret.byteLength} bytes; at least ${MIN_SIGNING_SECRET_BYTES} are needed`,
    );
  }
  const { now } = options;

  const sign = (claims: SignedUrlClaims): string =>
    createHmac('sha256', secret).update(canonicalMessage(claims), 'utf8').digest('hex');

  return {
    sign,
    verify(claims, signature) {
      const expected = Buffer.from(sign(claims), 'utf8');
      const given = Buffer.from(signature, 'utf8');
      if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) {
        throw new LacquerError('SIGNED_URL_INVALID', 'the URL signature does not match', {
          details: { key: claims.key, method: claims.method },
        });
      }
      const nowEpochSeconds = now().getTime() / 1000;
      if (nowEpochSeconds > claims.expiresAtEpochSeconds) {
        throw new LacquerError('SIGNED_URL_EXPIRED', 'the signed URL has expired', {
          details: {
            key: claims.key,
            expiresAt: new Date(claims.expiresAtEpochSeconds * 1000).toISOString(),
          },
        });
      }
    },
  };
}

function canonicalMessage(claims: SignedUrlClaims): string {
  return JSON.stringify([
    'lacquer-blob-url-v1',
    claims.method,
    claims.key,
    claims.expiresAtEpochSeconds,
    claims.maxSizeBytes ?? null,
    claims.contentType ?? null,
    claims.filename ?? null,
  ]);
}
