/** The longest a signed URL may live: 604800 s (7 days), the S3 limit. */
export const MAX_SIGNED_URL_LIFETIME_SECONDS = 604_800;

/**
 * Checks `expiresInSeconds` (an integer 1 … {@link MAX_SIGNED_URL_LIFETIME_SECONDS}).
 * @throws TypeError otherwise (a programming error).
 */
export function assertExpiresInSeconds(expiresInSeconds: number): void {
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_SIGNED_URL_LIFETIME_SECONDS
  ) {
    throw new TypeError(
      `expiresInSeconds must be an integer 1 … ${MAX_SIGNED_URL_LIFETIME_SECONDS}, got ${expiresInSeconds}`,
    );
  }
}

/**
 * Checks the limits of a signed upload: `maxSizeBytes` a positive safe integer, `contentType`
 * non-empty printable ASCII (it travels in a header).
 * @throws TypeError otherwise.
 */
export function assertUploadLimits(options: {
  readonly maxSizeBytes: number;
  readonly contentType: string;
}): void {
  if (!Number.isSafeInteger(options.maxSizeBytes) || options.maxSizeBytes < 1) {
    throw new TypeError(`maxSizeBytes must be a positive integer, got ${options.maxSizeBytes}`);
  }
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(options.contentType)) {
    throw new TypeError(`contentType ${JSON.stringify(options.contentType)} is not a header value`);
  }
}
