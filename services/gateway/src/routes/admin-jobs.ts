import { isLacquerError } from '@lacquer/errors';
import type { JobView } from '@lacquer/runtime';
import { type Static, Type } from 'typebox';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { JobParamsSchema, problemResponse } from '../schemas.ts';

/** Failed jobs an operator retries in one `retry-all` call, at most. */
export const MAX_RETRIES_PER_CALL = 1000;

const FailedJobSchema = Type.Object(
  {
    jobId: Type.String(),
    tenantId: Type.String(),
    failedAt: Type.String({ format: 'date-time' }),
    step: Type.String({ description: 'The step that failed: analyze, decide or master.' }),
    error: Type.Object({
      code: Type.String({ description: 'A documented error code.' }),
      message: Type.String(),
    }),
    attempts: Type.Integer({ minimum: 0, description: 'Deliveries of the failed step.' }),
    retries: Type.Integer({ minimum: 0, description: 'Operator retries so far.' }),
  },
  { title: 'FailedJob' },
);

const FailedJobPageSchema = Type.Object({
  jobs: Type.Array(FailedJobSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page.' }),
});

const FailedJobsQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

const JobRetrySchema = Type.Object(
  {
    jobId: Type.String(),
    tenantId: Type.String(),
    step: Type.String({ description: 'The step that runs again.' }),
    retry: Type.Integer({ minimum: 1, description: '1 for the job’s first retry.' }),
  },
  { title: 'JobRetry' },
);

const RetryAllSchema = Type.Object({
  retried: Type.Array(JobRetrySchema),
  refused: Type.Array(
    Type.Object({
      jobId: Type.String(),
      error: Type.Object({ code: Type.String(), message: Type.String() }),
    }),
  ),
});

function failedJob(view: JobView): Static<typeof FailedJobSchema> {
  return {
    jobId: view.jobId,
    tenantId: view.tenantId,
    failedAt: view.updatedAt,
    step: view.error?.step ?? view.currentStep,
    error: { code: view.error?.code ?? '', message: view.error?.message ?? '' },
    attempts: view.attempts,
    retries: view.retries,
  };
}

const OPERATOR_ERRORS = {
  401: problemResponse('AUTH_REQUIRED'),
  403: problemResponse('ADMIN_REQUIRED: a tenant’s key, not an operator’s.'),
  503: problemResponse('READ_MODEL_UNAVAILABLE or NATS_UNAVAILABLE: try again.'),
};

/**
 * Operator routes, under `/v1/admin` (register them in a scope that authenticates admin keys):
 * - `GET /v1/admin/failed-jobs`: failed jobs of every tenant, newest first;
 * - `POST /v1/admin/jobs/{jobId}/retry`: runs a failed job again from the step that failed;
 * - `POST /v1/admin/failed-jobs/retry`: retries every failed job (up to
 *   {@link MAX_RETRIES_PER_CALL}), answering which were retried and which refused.
 */
export function registerAdminJobRoutes(app: ApiInstance, context: RouteContext): void {
  app.get(
    '/v1/admin/failed-jobs',
    {
      schema: {
        operationId: 'listFailedJobs',
        tags: ['admin'],
        summary: 'List failed jobs (operators)',
        querystring: FailedJobsQuerySchema,
        response: { 200: FailedJobPageSchema, 400: problemResponse('REQUEST_INVALID'), ...OPERATOR_ERRORS },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await context.ports.readModel.listFailed({
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return { jobs: page.jobs.map(failedJob), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/admin/jobs/:jobId/retry',
    {
      schema: {
        operationId: 'retryJob',
        tags: ['admin'],
        summary: 'Retry a failed job (operators)',
        params: JobParamsSchema,
        response: {
          202: JobRetrySchema,
          404: problemResponse('JOB_NOT_FOUND'),
          409: problemResponse('JOB_NOT_FAILED: only a failed job can be retried.'),
          ...OPERATOR_ERRORS,
        },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return context.ports.retryFailedJob(request.params.jobId);
    },
  );

  app.post(
    '/v1/admin/failed-jobs/retry',
    {
      schema: {
        operationId: 'retryFailedJobs',
        tags: ['admin'],
        summary: 'Retry every failed job (operators)',
        response: { 202: RetryAllSchema, ...OPERATOR_ERRORS },
      },
    },
    async (_request, reply) => {
      const failed = await collectFailed(context, MAX_RETRIES_PER_CALL);
      const outcome: Static<typeof RetryAllSchema> = { retried: [], refused: [] };
      for (const view of failed) {
        try {
          outcome.retried.push(await context.ports.retryFailedJob(view.jobId));
        } catch (error) {
          if (!isLacquerError(error) || error.retryable) throw error;
          outcome.refused.push({ jobId: view.jobId, error: { code: error.code, message: error.message } });
        }
      }
      reply.code(202);
      return outcome;
    },
  );
}

async function collectFailed(context: RouteContext, max: number): Promise<JobView[]> {
  const views: JobView[] = [];
  let cursor: string | undefined;
  do {
    const page = await context.ports.readModel.listFailed({
      limit: Math.min(100, max - views.length),
      ...(cursor === undefined ? {} : { cursor }),
    });
    views.push(...page.jobs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && views.length < max);
  return views;
}
