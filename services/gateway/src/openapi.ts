import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ERROR_CODES, type ErrorCode, problemType } from '@lacquer/errors';
import type { FastifyInstance } from 'fastify';

/** The API description: how to use it, and every error code with its status. */
function apiDescription(): string {
  const codes = (Object.keys(ERROR_CODES) as ErrorCode[])
    .map((code) => `| \`${code}\` | ${ERROR_CODES[code].httpStatus} | ${ERROR_CODES[code].description} |`)
    .join('\n');
  return [
    'Lacquer masters audio. Upload a mix (POST /v1/uploads, then PUT the bytes to the signed URL), ',
    'request a job (POST /v1/jobs), follow it (GET /v1/jobs/{jobId}/events, server-sent events) and ',
    'download the artifacts.',
    '',
    'Every route needs `Authorization: Bearer <api key>`.',
    '',
    `## Errors\n\nErrors are \`application/problem+json\` (RFC 9457) with a stable \`code\`; \`type\` is \`${problemType('JOB_NOT_FOUND').replace('job-not-found', '<code>')}\` with the code in lowercase kebab case.`,
    '',
    '| code | status | meaning |',
    '|---|---|---|',
    codes,
  ].join('\n');
}

/**
 * Generates the OpenAPI 3.1 document from the route schemas (@fastify/swagger), serves it at
 * `GET /v1/openapi.json`, and a browsable page at `/docs` (@fastify/swagger-ui). Shared
 * schemas appear under `components.schemas` by their `$id`. Register before the routes.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  options: { readonly version: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Lacquer API', version: options.version, description: apiDescription() },
      tags: [
        { name: 'uploads', description: 'Send audio files.' },
        { name: 'jobs', description: 'Master them, follow progress, download the results.' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key: `Authorization: Bearer <key>`.',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    // The file-system store's signed-URL routes are not API: clients use the URLs they are given.
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/v1/blobs/') ? { ...schema, hide: true } : schema,
      url,
    }),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
