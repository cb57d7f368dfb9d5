import { LacquerError } from '@lacquer/errors';
import type { JobView } from '@lacquer/runtime';
import { Type } from 'typebox';
import { publicJob } from '../public-job.ts';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { JobParamsSchema, problemResponse } from '../schemas.ts';

/**
 * The caller's job, or 404 `JOB_NOT_FOUND`: another tenant's job is not found either (never a
 * 403, which would say that it exists).
 */
export async function findJob(context: RouteContext, tenantId: string, jobId: string): Promise<JobView> {
  const view = await context.ports.readModel.get(tenantId, jobId);
  if (view === null)
    throw new LacquerError('JOB_NOT_FOUND', `there is no job ${jobId}`, { details: { jobId } });
  return view;
}

/** `GET /v1/jobs/{jobId}`: the job's status, progress, artifacts and metrics. */
export function registerGetJobRoute(app: ApiInstance, context: RouteContext): void {
  app.get(
    '/v1/jobs/:jobId',
    {
      schema: {
        operationId: 'getJob',
        tags: ['jobs'],
        summary: 'Get a job',
        params: JobParamsSchema,
        response: {
          200: Type.Ref('Job'),
          400: problemResponse('REQUEST_INVALID: the job id is not one.'),
          401: problemResponse('AUTH_REQUIRED'),
          404: problemResponse('JOB_NOT_FOUND'),
          503: problemResponse('READ_MODEL_UNAVAILABLE: try again.'),
        },
      },
    },
    async (request) => publicJob(await findJob(context, request.tenantId, request.params.jobId)),
  );
}
