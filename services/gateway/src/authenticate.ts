import { LacquerError } from '@lacquer/errors';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { type ApiKeyHash, bearerToken, tenantOfApiKey } from './api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant whose API key authenticated the request ('' before `authenticate`). */
    tenantId: string;
  }
}

/**
 * An `onRequest` hook that requires `Authorization: Bearer <api key>` and sets
 * `request.tenantId` to the key's tenant.
 *
 * @throws LacquerError `AUTH_REQUIRED` (401) for a missing, malformed or unknown key.
 */
export function authenticate(keys: readonly ApiKeyHash[]): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const tenantId = token === null ? null : tenantOfApiKey(keys, token);
    if (tenantId === null) {
      throw new LacquerError(
        'AUTH_REQUIRED',
        token === null ? 'send your API key as "Authorization: Bearer <key>"' : 'the API key is not valid',
      );
    }
    request.tenantId = tenantId;
  };
}
