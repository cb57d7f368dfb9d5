import { LacquerError } from '@lacquer/errors';
import type { SignedUrlClaims } from './url-signer.ts';

/** The path prefix the file-system blob routes serve (`PUT` and `GET /v1/blobs/<key>`). */
export const FS_BLOB_ROUTE_PREFIX = '/v1/blobs/';

/** A request's URL query, as fastify parses it. */
export type QueryValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The URL of a signed file-system blob request:
 * `<publicBaseUrl>/v1/blobs/<key, each segment percent-encoded>?expires=…[&max-size=…&content-type=…][&filename=…]&signature=…`.
 */
export function formatFsSignedUrl(publicBaseUrl: string, claims: SignedUrlClaims, signature: string): string {
  const query = new URLSearchParams({ expires: String(claims.expiresAtEpochSeconds) });
  if (claims.maxSizeBytes !== undefined) query.set('max-size', String(claims.maxSizeBytes));
  if (claims.contentType !== undefined) query.set('content-type', claims.contentType);
  if (claims.filename !== undefined) query.set('filename', claims.filename);
  query.set('signature', signature);
  const path = claims.key.split('/').map(encodeURIComponent).join('/');
  return `${publicBaseUrl.replace(/\/+$/, '')}${FS_BLOB_ROUTE_PREFIX}${path}?${query}`;
}

/**
 * Reads the claims and signature of a request for `key` from its query (the inverse of
 * {@link formatFsSignedUrl}). Uploads must carry `max-size` and `content-type`; downloads
 * must not. It checks shapes only: the signature is checked by the signer.
 *
 * @throws LacquerError `SIGNED_URL_INVALID` when a parameter is missing, repeated or malformed.
 */
export function parseFsSignedQuery(
  method: 'GET' | 'PUT',
  key: string,
  query: QueryValues,
): { readonly claims: SignedUrlClaims; readonly signature: string } {
  const expires = single(query, 'expires');
  const maxSize = single(query, 'max-size');
  const contentType = single(query, 'content-type');
  const filename = single(query, 'filename');
  const signature = single(query, 'signature');
  const isUpload = method === 'PUT';
  if (
    signature === undefined ||
    expires === undefined ||
    !/^\d{1,12}$/.test(expires) ||
    (maxSize !== undefined && !/^\d{1,15}$/.test(maxSize)) ||
    isUpload !== (maxSize !== undefined) ||
    isUpload !== (contentType !== undefined) ||
    (isUpload && filename !== undefined)
  ) {
    throw invalid('the signed URL is missing a parameter or has a malformed one');
  }
  return {
    claims: {
      method,
      key,
      expiresAtEpochSeconds: Number(expires),
      ...(maxSize === undefined ? {} : { maxSizeBytes: Number(maxSize) }),
      ...(contentType === undefined ? {} : { contentType }),
      ...(filename === undefined ? {} : { filename }),
    },
    signature,
  };
}

function single(query: QueryValues, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw invalid(`the signed URL repeats the parameter "${name}"`);
}

function invalid(message: string): LacquerError {
  return new LacquerError('SIGNED_URL_INVALID', message);
}
