import { LacquerError } from '@lacquer/errors';
import { isArtifactName } from '@lacquer/runtime';
import { Type } from 'typebox';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { ArtifactParamsSchema, problemResponse } from '../schemas.ts';
import { findJob } from './get-job.ts';

/**
 * `GET /v1/jobs/{jobId}/artifacts/{name}`: a 302 to a signed download URL of the artifact,
 * offered under its name. 404 `ARTIFACT_NOT_FOUND` for a name that is not an artifact, or one
 * the job has not produced (yet).
 */
export function registerGetArtifactRoute(app: ApiInstance, context: RouteContext): void {
  app.get(
    '/v1/jobs/:jobId/artifacts/:name',
    {
      schema: {
        operationId: 'getArtifact',
        tags: ['jobs'],
        summary: 'Download an artifact',
        description:
          'Redirects to a signed URL of the artifact (master.wav, preview.mp3, analysis.json, decision.json, report.json), valid for a limited time.',
        params: ArtifactParamsSchema,
        response: {
          302: {
            description: 'The signed download URL is in `Location`.',
            headers: Type.Object({ location: Type.String({ format: 'uri' }) }),
            ...Type.Null(),
          },
          400: problemResponse('REQUEST_INVALID: the job id is not one, or the name is over 100 characters.'),
          401: problemResponse('AUTH_REQUIRED'),
          404: problemResponse('JOB_NOT_FOUND or ARTIFACT_NOT_FOUND'),
          503: problemResponse('READ_MODEL_UNAVAILABLE or BLOB_UNAVAILABLE: try again.'),
        },
      },
    },
    async (request, reply) => {
      const { jobId, name } = request.params;
      const view = await findJob(context, request.tenantId, jobId);
      const artifact = isArtifactName(name)
        ? view.artifacts.find((candidate) => candidate.name === name)
        : undefined;
      if (artifact === undefined) {
        throw new LacquerError('ARTIFACT_NOT_FOUND', `job ${jobId} has no artifact "${name}"`, {
          details: { jobId, name },
        });
      }
      const signed = await context.ports.blobStore.signDownload(artifact.objectKey, {
        expiresInSeconds: context.config.signedUrlTtlSeconds,
        filename: name,
      });
      return reply.header('cache-control', 'no-store').redirect(signed.url, 302);
    },
  );
}
