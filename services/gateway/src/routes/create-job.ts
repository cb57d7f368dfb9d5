import { create } from '@bufbuild/protobuf';
import { type JobEvent, JobRequestedSchema, jobEventContext, MatchAmountsSchema } from '@lacquer/contracts';
import { type DeliveryTarget, resolveTarget } from '@lacquer/engine';
import { LacquerError } from '@lacquer/errors';
import { evolveJobView, traceparentOf, uploadObjectKey } from '@lacquer/runtime';
import type { FastifyBaseLogger } from 'fastify';
import type { Static } from 'typebox';
import { requestHash } from '../request-hash.ts';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import {
  CreateJobBodySchema,
  IdempotencyHeadersSchema,
  JobAcceptedSchema,
  problemResponse,
} from '../schemas.ts';

type CreateJobBody = Static<typeof CreateJobBodySchema>;

/** `Retry-After` of a 429 `TENANT_JOBS_LIMIT`, seconds: about the time a short job takes. */
export const TENANT_JOBS_LIMIT_RETRY_AFTER_SECONDS = 5;

/** The body's target, resolved by the engine (the spotify preset when there is none). */
function targetOf(body: CreateJobBody): DeliveryTarget {
  const { target } = body;
  if (target === undefined) return resolveTarget({});
  if ('preset' in target) return resolveTarget({ preset: target.preset });
  return resolveTarget({ integratedLufs: target.integratedLufs, truePeakCeilingDbtp: target.truePeakDbtp });
}

/**
 * `POST /v1/jobs`: checks the uploads and the target, publishes JobRequested and stores the
 * job's first view at once (so a GET right after finds it; the projector skips the event,
 * whose sequence the view has seen).
 *
 * With an `Idempotency-Key`, the key is claimed for the new job id: a repeat with the same
 * body answers the first job (publishing it again if the first request stopped between the
 * claim and the publish; JetStream keeps one JobRequested per job), a repeat with another
 * body is 422 `IDEMPOTENCY_KEY_REUSED`. Requests that fail validation claim nothing.
 *
 * A new job is refused with 429 `TENANT_JOBS_LIMIT` (and `Retry-After`) while the tenant has
 * `maxJobsInFlightPerTenant` jobs queued or processing; the replay of a job that exists is
 * answered all the same. A refused request with an `Idempotency-Key` keeps its claim, so the
 * same request sent again later goes through. The count is read before the publish, so
 * requests that race may pass the limit by as many as run at once.
 */
export function registerCreateJobRoute(app: ApiInstance, context: RouteContext): void {
  const { blobStore, readModel, publisher } = context.ports;

  const checkedUploadKey = async (tenantId: string, uploadId: string, role: string): Promise<string> => {
    const key = uploadObjectKey({ tenantId, uploadId });
    const info = await blobStore.head(key);
    if (info === null) {
      throw new LacquerError(
        'UPLOAD_NOT_FOUND',
        `the ${role} upload ${uploadId} does not exist (was it PUT?)`,
        {
          details: { uploadId },
        },
      );
    }
    if (info.sizeBytes > context.config.maxUploadBytes) {
      throw new LacquerError(
        'UPLOAD_TOO_LARGE',
        `the ${role} upload is ${info.sizeBytes} bytes, over the limit of ${context.config.maxUploadBytes}`,
        { details: { uploadId, sizeBytes: info.sizeBytes } },
      );
    }
    return key;
  };

  /** The 429 for a tenant with no room for another job, or `null`. */
  const jobsLimitRefusal = async (tenantId: string): Promise<LacquerError | null> => {
    const limit = context.config.maxJobsInFlightPerTenant;
    const inFlight = await readModel.countInFlight(tenantId);
    if (inFlight < limit) return null;
    return new LacquerError(
      'TENANT_JOBS_LIMIT',
      `${inFlight} jobs are queued or processing, the most this tenant may have; retry when one has finished`,
      { details: { inFlight, limit } },
    );
  };
  const requestJob = async (
    jobId: string,
    tenantId: string,
    body: CreateJobBody,
    target: DeliveryTarget,
    keys: { readonly input: string; readonly reference: string | null },
    traceparent: string | undefined,
    log: FastifyBaseLogger,
  ): Promise<void> => {
    const event: JobEvent = {
      type: 'JobRequested',
      data: create(JobRequestedSchema, {
        context: jobEventContext(jobId, tenantId, context.now()),
        inputObjectKey: keys.input,
        ...(keys.reference === null ? {} : { referenceObjectKey: keys.reference }),
        target: {
          preset: target.name === 'custom' ? '' : target.name,
          integratedLoudnessLufs: target.integratedLufs,
          truePeakCeilingDbtp: target.truePeakCeilingDbtp,
        },
        ...(body.intensityPercent === undefined ? {} : { intensityPercent: body.intensityPercent }),
        ...(body.style === undefined ? {} : { style: body.style }),
        ...(body.reference ? { matchAmounts: matchAmountsOf(body.reference) } : {}),
      }),
    };
    // At most one JobRequested per job, also past the dedup window (a replay much later).
    const { sequence } = await publisher.publish(event, { traceparent, expectLastSubjectSequence: 0 });
    if (sequence === 0) return; // already in the log: the projector holds its view
    const view = evolveJobView(null, event, sequence);
    try {
      if (view) await readModel.create(view);
    } catch (error) {
      // The job is in the log: the projector will store its view. Answer as accepted.
      log.warn({ err: error, jobId }, 'could not store the first view; the projector will');
    }
  };

  app.post(
    '/v1/jobs',
    {
      schema: {
        operationId: 'createJob',
        tags: ['jobs'],
        summary: 'Master an upload',
        description:
          'Queues a mastering job for an upload (and, optionally, a reference track). Send an `Idempotency-Key` to make retries safe.',
        headers: IdempotencyHeadersSchema,
        body: CreateJobBodySchema,
        response: {
          202: JobAcceptedSchema,
          400: problemResponse('REQUEST_INVALID or ENGINE_INVALID_TARGET.'),
          401: problemResponse('AUTH_REQUIRED'),
          409: problemResponse('UPLOAD_NOT_FOUND: the upload does not exist for this tenant.'),
          413: problemResponse('UPLOAD_TOO_LARGE: the uploaded file is over the limit.'),
          422: problemResponse('IDEMPOTENCY_KEY_REUSED: the key was used with another body.'),
          429: problemResponse(
            'TENANT_JOBS_LIMIT: as many jobs as the tenant may have are queued or processing; retry after `Retry-After` seconds.',
          ),
          503: problemResponse('NATS_UNAVAILABLE or READ_MODEL_UNAVAILABLE: try again.'),
        },
      },
    },
    async (request, reply) => {
      const { tenantId, body } = request;
      const keys = {
        input: await checkedUploadKey(tenantId, body.input.uploadId, 'input'),
        reference: body.reference
          ? await checkedUploadKey(tenantId, body.reference.uploadId, 'reference')
          : null,
      };
      const target = targetOf(body);
      let jobId = context.newJobId();
      const idempotencyKey = request.headers['idempotency-key'];
      if (idempotencyKey !== undefined) {
        const hash = requestHash(body);
        const earlier = await readModel.claimIdempotencyKey(tenantId, idempotencyKey, {
          jobId,
          requestHash: hash,
        });
        if (earlier !== null) {
          if (earlier.requestHash !== hash) {
            throw new LacquerError(
              'IDEMPOTENCY_KEY_REUSED',
              'this Idempotency-Key was used with another body',
            );
          }
          const view = await readModel.get(tenantId, earlier.jobId);
          if (view !== null) {
            return reply
              .code(202)
              .header('location', `/v1/jobs/${view.jobId}`)
              .send({ jobId: view.jobId, status: view.status });
          }
          jobId = earlier.jobId;
        }
      }
      const refusal = await jobsLimitRefusal(tenantId);
      if (refusal !== null) {
        reply.header('retry-after', String(TENANT_JOBS_LIMIT_RETRY_AFTER_SECONDS));
        throw refusal;
      }
      // The request's span (registerRequestTracing): the job's trace starts at this call.
      await requestJob(jobId, tenantId, body, target, keys, traceparentOf(), request.log);
      request.log.info({ jobId, tenantId }, 'job requested');
      return reply.code(202).header('location', `/v1/jobs/${jobId}`).send({ jobId, status: 'queued' });
    },
  );
}

/** The amounts a reference asks for, as recorded in JobRequested (absent: the engine's 100 %). */
function matchAmountsOf(reference: NonNullable<CreateJobBody['reference']>) {
  return create(MatchAmountsSchema, {
    ...(reference.tonePercent === undefined ? {} : { tonePercent: reference.tonePercent }),
    ...(reference.widthPercent === undefined ? {} : { widthPercent: reference.widthPercent }),
    ...(reference.densityPercent === undefined ? {} : { densityPercent: reference.densityPercent }),
  });
}
