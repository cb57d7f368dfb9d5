import {
  isLacquerError,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  problem,
  problemOfLacquerError,
} from '@lacquer/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The problem an error answers with:
 * - a LacquerError: its code and status; the message as detail for 4xx, the code's
 *   documented description for 5xx (a server-side message may name hosts or paths);
 * - a body over the route's limit: 413 `REQUEST_TOO_LARGE`;
 * - a schema validation error, or another client error fastify raises (malformed JSON, an
 *   unsupported content type): 400 `REQUEST_INVALID`;
 * - anything else: 500 `INTERNAL_ERROR`, saying nothing of the error itself.
 */
export function problemOf(error: unknown): Problem {
  if (isLacquerError(error)) return problemOfLacquerError(error);
  const fastifyError = error as Partial<FastifyError> | null;
  if (fastifyError?.validation) {
    return problem(
      'REQUEST_INVALID',
      `${fastifyError.validationContext ?? 'request'}: ${validationText(fastifyError)}`,
    );
  }
  const statusCode = fastifyError?.statusCode;
  if (statusCode === 413) {
    return problem('REQUEST_TOO_LARGE', fastifyError?.message ?? 'the request body is too large');
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return problem('REQUEST_INVALID', fastifyError?.message ?? 'the request is invalid');
  }
  return problem('INTERNAL_ERROR', 'an unexpected error occurred; it has been logged with the request id');
}

function validationText(error: Partial<FastifyError>): string {
  const messages = (error.validation ?? []).map((issue) => {
    const path = issue.instancePath || '';
    const extra =
      issue.keyword === 'additionalProperties'
        ? ` (${String((issue.params as { additionalProperty?: unknown }).additionalProperty)})`
        : '';
    return `${path ? `${path} ` : ''}${issue.message ?? 'is invalid'}${extra}`;
  });
  return messages.length > 0 ? messages.join('; ') : (error.message ?? 'invalid');
}

/**
 * Answers `error` with its {@link Problem}: 5xx errors are logged with the request's logger
 * (request id, and the error with its cause), others at info; a retryable 503 carries
 * `Retry-After: 1`. Also fastify's `frameworkErrors` handler, so that a path fastify cannot
 * route (a malformed percent-encoding, a parameter over 100 characters) is a 400
 * `REQUEST_INVALID` problem like every other.
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = problemOf(error);
  if (body.status >= 500) {
    request.log.error({ err: error, code: body.code }, 'request failed');
  } else {
    request.log.info({ code: body.code, detail: body.detail }, 'request refused');
  }
  if (body.status === 503) reply.header('retry-after', '1');
  if (body.code === 'AUTH_REQUIRED') reply.header('www-authenticate', 'Bearer');
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Answers every error ({@link sendProblem}) and unknown route of `app` with a {@link Problem}. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(sendProblem);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problem('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?', 1)[0]}`)),
  );
}
