import { LacquerError } from '@lacquer/errors';
import { evolveJobView } from '@lacquer/runtime';
import { Type } from 'typebox';
import { awaitProjection } from '../await-projection.ts';
import { openEventStream } from '../event-stream.ts';
import { problemOf } from '../problem-details.ts';
import { isTerminal, publicJob, watchedState } from '../public-job.ts';
import type { ApiInstance, RouteContext } from '../route-context.ts';
import { JobParamsSchema, problemResponse } from '../schemas.ts';
import { findJob } from './get-job.ts';

/** How long a finished job's last event waits for the read model to show it, ms. */
const PROJECTION_WAIT_MS = 5000;

/**
 * `GET /v1/jobs/{jobId}/events`: live progress as server-sent events. First the job as it is
 * now (event `status`, data the job's JSON as GET /v1/jobs/{jobId} answers it), then a
 * `status` event each time the status, progress, step, artifacts or error change, as the
 * job's events arrive from the log (folded into the view with `evolveJobView`; events the view
 * has seen are skipped). `id` is the stream sequence of the last event folded in. The stream
 * ends after a `completed` or `failed` status; a comment heartbeat keeps idle streams open. If
 * the log cannot be followed, an `error` event (a problem) ends the stream. Following stops
 * when the client goes away. The final status is sent once `GET /v1/jobs/{jobId}` shows it
 * too (read-your-writes; at most {@link PROJECTION_WAIT_MS} of waiting).
 */
export function registerJobEventsRoute(app: ApiInstance, context: RouteContext): void {
  app.get(
    '/v1/jobs/:jobId/events',
    {
      schema: {
        operationId: 'streamJobEvents',
        tags: ['jobs'],
        summary: 'Follow a job live (server-sent events)',
        description:
          'Events named `status` carry the job JSON (schema Job), first as it is now, then at each change; the stream ends after `completed` or `failed`. Comment lines are heartbeats.',
        params: JobParamsSchema,
        response: {
          200: {
            description: 'A text/event-stream of `status` events.',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          400: problemResponse('REQUEST_INVALID: the job id is not one.'),
          401: problemResponse('AUTH_REQUIRED'),
          404: problemResponse('JOB_NOT_FOUND'),
          503: problemResponse('READ_MODEL_UNAVAILABLE: try again.'),
        },
      },
    },
    async (request, reply) => {
      let view = await findJob(context, request.tenantId, request.params.jobId);
      if (context.closing.aborted) throw new LacquerError('NATS_UNAVAILABLE', 'the gateway is shutting down');
      reply.hijack();
      const stream = openEventStream(reply.raw, {
        heartbeatIntervalMs: context.heartbeatIntervalMs,
        headers: { 'x-request-id': String(request.id) },
      });
      const sendView = (): void => {
        stream.send({
          id: String(view.lastSequence),
          event: 'status',
          data: JSON.stringify(publicJob(view)),
        });
      };
      sendView();
      if (isTerminal(view.status)) {
        stream.end();
        return;
      }
      // The response's `close` is the client going away (the request's own `close` fires as
      // soon as its body is read, which for a GET is at once).
      const following = new AbortController();
      const stop = (): void => following.abort();
      reply.raw.once('close', stop);
      // The client may have gone while the job was looked up: its `close` has fired already.
      if (reply.raw.destroyed || request.raw.socket?.destroyed) stop();
      context.closing.addEventListener('abort', stop, { once: true });
      let sent = watchedState(publicJob(view));
      try {
        for await (const { event, sequence } of context.ports.feed.follow(view.jobId, following.signal)) {
          const next = evolveJobView(view, event, sequence);
          if (next === null || next === view) continue;
          view = next;
          const state = watchedState(publicJob(view));
          if (isTerminal(view.status)) {
            await awaitProjection(context.ports.readModel, view, {
              timeoutMs: PROJECTION_WAIT_MS,
              signal: following.signal,
            });
          }
          if (state !== sent) {
            sent = state;
            sendView();
          }
          if (isTerminal(view.status)) break;
        }
      } catch (error) {
        if (!following.signal.aborted) {
          request.log.warn({ err: error, jobId: view.jobId }, 'could not follow the job');
          stream.send({ event: 'error', data: JSON.stringify(problemOf(error)) });
        }
      } finally {
        reply.raw.off('close', stop);
        context.closing.removeEventListener('abort', stop);
        following.abort();
        stream.end();
      }
    },
  );
}
