import { PassThrough, type Readable } from 'node:stream';
import { isLacquerError, LacquerError, PROBLEM_CONTENT_TYPE, problemOfLacquerError } from '@lacquer/errors';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { attachmentDisposition } from './attachment-disposition.ts';
import type { FsBlobStore } from './fs-blob-store.ts';
import type { QueryValues } from './fs-signed-url.ts';

/** Options of {@link fsBlobRoutes}. */
export interface FsBlobRoutesOptions {
  readonly store: FsBlobStore;
}

/**
 * Serves the signed URLs of the file-system blob store:
 *
 * - `PUT /v1/blobs/<key>`: checks the signature and expiry, requires the signed
 *   `Content-Type`, and streams the body to the store (never buffered whole). A body larger
 *   than the signed `max-size` is refused with 413 `UPLOAD_TOO_LARGE`: at once when
 *   `Content-Length` declares it, otherwise as soon as the excess byte arrives; the
 *   connection is then closed and nothing is stored. Answers 204 when stored.
 * - `GET /v1/blobs/<key>`: streams the object with `Content-Type`, `Content-Length` and, when
 *   the URL was signed with a file name, `Content-Disposition: attachment`.
 *
 * Errors answer `application/problem+json` (the gateway's `Problem`) with the status of
 * their code: 403 `SIGNED_URL_INVALID` / `SIGNED_URL_EXPIRED` (a wrong `Content-Type`
 * counts as invalid, as on S3), 404 `BLOB_NOT_FOUND`, 413 `UPLOAD_TOO_LARGE`, 503
 * `BLOB_UNAVAILABLE`; other errors go to the parent's error handler.
 *
 * Register it without a prefix (the store's URLs start at `publicBaseUrl` + `/v1/blobs/`)
 * and without `fastify-plugin`: its catch-all content-type parser (which hands the raw
 * request stream to the handler) must stay inside this plugin.
 */
export const fsBlobRoutes: FastifyPluginAsync<FsBlobRoutesOptions> = async (app, { store }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.put('/v1/blobs/*', async (request, reply) => {
    try {
      const claims = store.verifySignedRequest({
        method: 'PUT',
        key: keyOf(request),
        query: queryOf(request),
      });
      const maxSizeBytes = claims.maxSizeBytes ?? 0;
      const contentType = claims.contentType ?? '';
      if (request.headers['content-type']?.trim().toLowerCase() !== contentType.toLowerCase()) {
        throw new LacquerError(
          'SIGNED_URL_INVALID',
          `the upload must be sent with Content-Type: ${contentType}`,
        );
      }
      const declaredLength = request.headers['content-length'];
      if (declaredLength !== undefined && Number(declaredLength) > maxSizeBytes) {
        throw tooLarge(maxSizeBytes);
      }
      const source = request.body as Readable | undefined;
      await store.putStream(claims.key, source === undefined ? emptyStream() : detached(source), {
        contentType,
        maxSizeBytes,
      });
      return reply.code(204).send();
    } catch (error) {
      // The client may still be sending: close the connection rather than read the rest.
      if (!request.raw.complete) reply.header('connection', 'close');
      return sendProblem(reply, error);
    }
  });

  app.get('/v1/blobs/*', { exposeHeadRoute: false }, async (request, reply) => {
    try {
      const claims = store.verifySignedRequest({
        method: 'GET',
        key: keyOf(request),
        query: queryOf(request),
      });
      const opened = await store.openRead(claims.key);
      reply
        .header('content-type', opened.contentType ?? 'application/octet-stream')
        .header('content-length', String(opened.sizeBytes))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff');
      if (claims.filename !== undefined) {
        reply.header('content-disposition', attachmentDisposition(claims.filename));
      }
      return reply.send(opened.stream);
    } catch (error) {
      return sendProblem(reply, error);
    }
  });
};

function keyOf(request: FastifyRequest): string {
  return (request.params as { readonly '*'?: string })['*'] ?? '';
}

function queryOf(request: FastifyRequest): QueryValues {
  return (request.query ?? {}) as QueryValues;
}

function tooLarge(maxSizeBytes: number): LacquerError {
  return new LacquerError('UPLOAD_TOO_LARGE', `the upload is larger than the signed ${maxSizeBytes} bytes`, {
    details: { maxSizeBytes },
  });
}

/**
 * The request body behind a stream of our own: when the store gives up (too large), it
 * destroys this one, which unpipes the request without destroying its socket, so the 413
 * can still be sent. A request the client aborts fails this stream.
 */
function detached(source: Readable): PassThrough {
  const body = new PassThrough();
  // Until the store's pipeline takes this stream (after it has made the object's directory),
  // nothing else listens for its errors, and an unheard 'error' is thrown: a client that goes
  // away mid-upload would stop the process. The pipeline still sees the error and fails.
  body.on('error', () => {});
  const aborted = (): void => {
    if (!source.readableEnded) body.destroy(new Error('the client aborted the upload'));
  };
  // The client may be gone already (while the route checked the URL): then no 'close' comes.
  if (source.destroyed) aborted();
  else source.once('close', aborted);
  source.once('error', (error) => body.destroy(error));
  source.pipe(body);
  return body;
}

function emptyStream(): PassThrough {
  const body = new PassThrough();
  body.end();
  return body;
}

function sendProblem(reply: FastifyReply, error: unknown): FastifyReply {
  if (!isLacquerError(error)) throw error;
  const body = problemOfLacquerError(error);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}
