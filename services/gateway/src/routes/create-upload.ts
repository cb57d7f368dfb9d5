import { LacquerError } from '@lacquer/errors';
import { uploadObjectKey } from '@lacquer/runtime';
import { audioContentType, hasAudioExtension } from '../audio-upload-types.ts';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { CreateUploadBodySchema, problemResponse, SignedUploadSchema } from '../schemas.ts';

/**
 * `POST /v1/uploads`: checks the declared file (audio type and extension, size) and answers
 * a signed URL to PUT its bytes to. Nothing is recorded: the stored object is the upload.
 */
export function registerCreateUploadRoute(app: ApiInstance, context: RouteContext): void {
  app.post(
    '/v1/uploads',
    {
      schema: {
        operationId: 'createUpload',
        tags: ['uploads'],
        summary: 'Start an upload',
        description:
          'Declares a file and returns a signed URL; PUT the bytes to `uploadUrl` with `headers` before `expiresAt`, then name the `uploadId` in POST /v1/jobs.',
        body: CreateUploadBodySchema,
        response: {
          201: SignedUploadSchema,
          400: problemResponse('REQUEST_INVALID: the body does not match the schema.'),
          401: problemResponse('AUTH_REQUIRED'),
          413: problemResponse('UPLOAD_TOO_LARGE: sizeBytes is over the limit.'),
          415: problemResponse('UPLOAD_TYPE_UNSUPPORTED: not an audio type or file name.'),
        },
      },
    },
    async (request, reply) => {
      const { filename, sizeBytes } = request.body;
      const contentType = audioContentType(request.body.contentType);
      if (contentType === null || !hasAudioExtension(filename)) {
        throw new LacquerError(
          'UPLOAD_TYPE_UNSUPPORTED',
          contentType === null
            ? `"${request.body.contentType}" is not an audio type Lacquer reads`
            : `"${filename}" does not have an audio file extension`,
        );
      }
      const { maxUploadBytes, signedUrlTtlSeconds } = context.config;
      if (sizeBytes > maxUploadBytes) {
        throw new LacquerError(
          'UPLOAD_TOO_LARGE',
          `${sizeBytes} bytes is over the limit of ${maxUploadBytes}`,
          {
            details: { sizeBytes, maxUploadBytes },
          },
        );
      }
      const uploadId = context.newUploadId();
      const signed = await context.ports.blobStore.signUpload(
        uploadObjectKey({ tenantId: request.tenantId, uploadId }),
        { contentType, maxSizeBytes: sizeBytes, expiresInSeconds: signedUrlTtlSeconds },
      );
      return reply.code(201).send({
        uploadId,
        uploadUrl: signed.url,
        method: signed.method,
        headers: { ...signed.headers },
        expiresAt: signed.expiresAt.toISOString(),
      });
    },
  );
}
