import { isLacquerError } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { createUrlSigner, type SignedUrlClaims } from './url-signer.ts';

const SECRET = 'an-only-for-tests-secret-of-32-bytes!!';
const NOW = new Date('2030-01-01T00:00:00Z');
const NOW_EPOCH_SECONDS = NOW.getTime() / 1000;

const UPLOAD: SignedUrlClaims = {
  method: 'PUT',
  key: 'tenants/t1/uploads/u1',
  expiresAtEpochSeconds: NOW_EPOCH_SECONDS + 60,
  maxSizeBytes: 1_000_000,
  contentType: 'audio/wav',
};

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return isLacquerError(error) ? error.code : `not a LacquerError: ${String(error)}`;
  }
  return undefined;
}

describe('createUrlSigner', () => {
  const signer = createUrlSigner({ secret: SECRET, now: () => NOW });
  const signature = signer.sign(UPLOAD);

  it('gives a 64-character hex HMAC-SHA256 that verifies', () => {
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(codeOf(() => signer.verify(UPLOAD, signature))).toBeUndefined();
  });

  it('verifies up to and including the expiry second', () => {
    const atExpiry = createUrlSigner({
      secret: SECRET,
      now: () => new Date((NOW_EPOCH_SECONDS + 60) * 1000),
    });
    expect(codeOf(() => atExpiry.verify(UPLOAD, signature))).toBeUndefined();
  });

  it('refuses an expired URL with SIGNED_URL_EXPIRED', () => {
    const later = createUrlSigner({ secret: SECRET, now: () => new Date((NOW_EPOCH_SECONDS + 61) * 1000) });
    expect(codeOf(() => later.verify(UPLOAD, signature))).toBe('SIGNED_URL_EXPIRED');
  });

  it.each<[string, SignedUrlClaims]>([
    ['key', { ...UPLOAD, key: 'tenants/t2/uploads/u1' }],
    ['key traversal', { ...UPLOAD, key: 'tenants/t1/uploads/u1/../../t2/uploads/u1' }],
    ['expiry', { ...UPLOAD, expiresAtEpochSeconds: UPLOAD.expiresAtEpochSeconds + 3600 }],
    ['size', { ...UPLOAD, maxSizeBytes: 2_000_000 }],
    ['size removed', { ...UPLOAD, maxSizeBytes: undefined }],
    ['method', { ...UPLOAD, method: 'GET' }],
    ['content type', { ...UPLOAD, contentType: 'text/html' }],
    ['file name', { ...UPLOAD, filename: 'x.wav' }],
  ])('refuses a tampered %s with SIGNED_URL_INVALID', (_what, tampered) => {
    expect(codeOf(() => signer.verify(tampered, signature))).toBe('SIGNED_URL_INVALID');
  });

  it('refuses a tampered, truncated, extended or empty signature', () => {
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    for (const bad of [flipped, signature.slice(0, -2), `${signature}00`, '', signature.toUpperCase()]) {
      expect(codeOf(() => signer.verify(UPLOAD, bad))).toBe('SIGNED_URL_INVALID');
    }
  });

  it('refuses a signature made with another secret, even when expired (invalid wins)', () => {
    const other = createUrlSigner({ secret: `${SECRET}-other`, now: () => NOW });
    expect(codeOf(() => signer.verify(UPLOAD, other.sign(UPLOAD)))).toBe('SIGNED_URL_INVALID');
    const expired = { ...UPLOAD, expiresAtEpochSeconds: NOW_EPOCH_SECONDS - 1 };
    expect(codeOf(() => signer.verify(expired, other.sign(expired)))).toBe('SIGNED_URL_INVALID');
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => createUrlSigner({ secret: 'x'.repeat(31), now: () => NOW })).toThrow(TypeError);
    expect(() => createUrlSigner({ secret: new Uint8Array(31), now: () => NOW })).toThrow(TypeError);
    expect(() => createUrlSigner({ secret: new Uint8Array(32), now: () => NOW })).not.toThrow();
  });
});
