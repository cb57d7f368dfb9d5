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

/**
 * An `onRequest` hook for operator routes: the bearer key must be one of `adminKeys`.
 *
 * @throws LacquerError `AUTH_REQUIRED` (401) for a missing or unknown key; `ADMIN_REQUIRED`
 *   (403) for a tenant's key (it is valid, but not an operator's).
 */
export function authenticateAdmin(config: {
  readonly adminKeys: readonly ApiKeyHash[];
  readonly apiKeys: readonly ApiKeyHash[];
}): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (token !== null && tenantOfApiKey(config.adminKeys, token) !== null) return;
    if (token !== null && tenantOfApiKey(config.apiKeys, token) !== null) {
      throw new LacquerError('ADMIN_REQUIRED', 'this route is for operators: use the admin API key');
    }
    throw new LacquerError(
      'AUTH_REQUIRED',
      token === null ? 'send the admin key as "Authorization: Bearer <key>"' : 'the API key is not valid',
    );
  };
}
