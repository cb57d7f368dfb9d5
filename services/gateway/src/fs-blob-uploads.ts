import { isLacquerError, LacquerError } from '@lacquer/errors';
import { type FsBlobStore, fsBlobRoutes } from '@lacquer/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Serves the file-system blob store's signed URLs (`fsBlobRoutes`: `PUT` and `GET
 * /v1/blobs/<key>`) with single-use uploads: a `PUT` whose signature is good but whose upload
 * already holds its file, or has another `PUT` under way in this gateway, is refused with 409
 * `UPLOAD_ALREADY_COMPLETED` before a byte of its body is read (the connection is closed), so
 * the stored bytes stay those of the first upload. Requests with a bad or expired signature
 * are left to `fsBlobRoutes`, which answers 403.
 *
 * Uploads under way are known to this process only: gateway replicas sharing one blob
 * directory can each accept one of two PUTs sent to them at the same moment (the later
 * rename wins). Uploads to S3 go straight to S3 and are not checked here.
 */
export async function registerFsBlobRoutes(app: FastifyInstance, store: FsBlobStore): Promise<void> {
  const uploading = new Set<string>();
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'PUT') return;
      const key = signedUploadKey(store, request);
      if (key === null) return;
      const underWay = uploading.has(key);
      if (underWay || (await store.head(key)) !== null) {
        if (!request.raw.complete) reply.header('connection', 'close');
        throw new LacquerError(
          'UPLOAD_ALREADY_COMPLETED',
          underWay
            ? 'another upload to this URL is under way; a signed upload URL takes one file'
            : 'this upload already holds its file; a signed upload URL takes one file, once',
        );
      }
      uploading.add(key);
      reply.raw.once('close', () => uploading.delete(key));
    });
    await scope.register(fsBlobRoutes, { store });
  });
}

/** The key a well-signed upload request is for; `null` when its signature does not hold. */
function signedUploadKey(store: FsBlobStore, request: FastifyRequest): string | null {
  try {
    return store.verifySignedRequest({
      method: 'PUT',
      key: (request.params as { readonly '*'?: string })['*'] ?? '',
      query: (request.query ?? {}) as Parameters<FsBlobStore['verifySignedRequest']>[0]['query'],
    }).key;
  } catch (error) {
    if (isLacquerError(error)) return null;
    throw error;
  }
}
