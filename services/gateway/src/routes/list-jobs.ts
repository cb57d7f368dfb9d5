import { publicJob } from '../public-job.ts';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { JobPageSchema, ListJobsQuerySchema, problemResponse } from '../schemas.ts';

/** `GET /v1/jobs?limit=&cursor=`: the caller's jobs, newest first, a page at a time. */
export function registerListJobsRoute(app: ApiInstance, context: RouteContext): void {
  app.get(
    '/v1/jobs',
    {
      schema: {
        operationId: 'listJobs',
        tags: ['jobs'],
        summary: 'List jobs',
        description: 'Newest first. Pass `nextCursor` back as `cursor` for the next page.',
        querystring: ListJobsQuerySchema,
        response: {
          200: JobPageSchema,
          400: problemResponse('REQUEST_INVALID: a limit out of 1 … 100, or a cursor that is not one.'),
          401: problemResponse('AUTH_REQUIRED'),
          503: problemResponse('READ_MODEL_UNAVAILABLE: try again.'),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await context.ports.readModel.list(request.tenantId, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return { jobs: page.jobs.map(publicJob), nextCursor: page.nextCursor };
    },
  );
}
