import { type PlatformConfig, platformEnv, portEnv } from '@lacquer/runtime';
import { z } from 'zod';
import { type ApiKeyHash, hashApiKey, LOCAL_TENANT_ID, parseApiKeyHashes } from './api-keys.ts';

/** 1 GiB: the default of `LACQUER_MAX_UPLOAD_BYTES`. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

/** 15 minutes: the default of `LACQUER_SIGNED_URL_TTL_SECONDS`. */
export const DEFAULT_SIGNED_URL_TTL_SECONDS = 900;

/** 100: the default of `LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT`. */
export const DEFAULT_MAX_JOBS_IN_FLIGHT_PER_TENANT = 100;

/** What the HTTP API needs to know (see {@link GatewayConfig}); `buildApp` takes this much. */
export interface ApiConfig {
  /** Every API key, as SHA-256 hashes only. At least one. */
  readonly apiKeys: readonly ApiKeyHash[];
  /** The operators' keys for `/v1/admin/…`, as SHA-256 hashes only; none: the admin routes answer 401. */
  readonly adminKeys: readonly ApiKeyHash[];
  /** Largest upload (and input or reference of a job) accepted, bytes. */
  readonly maxUploadBytes: number;
  /** Lifetime of signed upload and download URLs, seconds (1 … 604800). */
  readonly signedUrlTtlSeconds: number;
  /**
   * Jobs a tenant may have queued or processing at once (1 … 1 000 000): POST /v1/jobs
   * answers 429 `TENANT_JOBS_LIMIT` beyond it.
   */
  readonly maxJobsInFlightPerTenant: number;
}

/** The gateway's validated settings: the platform's, its port, and the API's. */
export interface GatewayConfig extends PlatformConfig, ApiConfig {
  readonly PORT: number;
}

/** The gateway's own variables (see {@link gatewayConfigSchema}). */
export const gatewayEnv = z.object({
  LACQUER_API_KEY: z.string().min(1).optional(),
  LACQUER_API_KEYS: z.string().optional(),
  LACQUER_ADMIN_API_KEY: z.string().min(1).optional(),
  LACQUER_ADMIN_API_KEYS: z.string().optional(),
  LACQUER_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(DEFAULT_MAX_UPLOAD_BYTES),
  LACQUER_SIGNED_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(604_800)
    .default(DEFAULT_SIGNED_URL_TTL_SECONDS),
  LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_MAX_JOBS_IN_FLIGHT_PER_TENANT),
});

/**
 * The gateway's environment (use with `loadConfig`):
 *
 * - the platform's (`platformEnv`: NATS, blob store, read model, logs) and `PORT` (default 10080);
 * - `LACQUER_API_KEY`: the plaintext API key of the tenant `local` (one machine);
 * - `LACQUER_API_KEYS`: `tenantId:sha256hex,…`, keys of other tenants as SHA-256 hashes (operators);
 * - at least one of the two;
 * - `LACQUER_ADMIN_API_KEY` (plaintext) and `LACQUER_ADMIN_API_KEYS` (`sha256hex,…`): operator
 *   keys for `/v1/admin/…` (failed jobs, retries); optional;
 * - `LACQUER_MAX_UPLOAD_BYTES` (default 1 GiB), `LACQUER_SIGNED_URL_TTL_SECONDS` (default 900);
 * - `LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT` (default 100): jobs one tenant may have queued or
 *   processing at once; POST /v1/jobs answers 429 `TENANT_JOBS_LIMIT` with `Retry-After` beyond.
 *
 * Keys are hashed here: the config never holds a plaintext key.
 */
export const gatewayConfigSchema = platformEnv
  .and(portEnv(8080))
  .and(gatewayEnv)
  .transform((env, context): GatewayConfig => {
    const {
      LACQUER_API_KEY: plainKey,
      LACQUER_API_KEYS: hashedKeys,
      LACQUER_ADMIN_API_KEY: plainAdminKey,
      LACQUER_ADMIN_API_KEYS: hashedAdminKeys,
      LACQUER_MAX_UPLOAD_BYTES: maxUploadBytes,
      LACQUER_SIGNED_URL_TTL_SECONDS: signedUrlTtlSeconds,
      LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT: maxJobsInFlightPerTenant,
      ...platform
    } = env;
    const apiKeys: ApiKeyHash[] = [];
    if (plainKey !== undefined) apiKeys.push({ tenantId: LOCAL_TENANT_ID, keySha256: hashApiKey(plainKey) });
    if (hashedKeys !== undefined) {
      const parsed = parseApiKeyHashes(hashedKeys);
      if ('problems' in parsed) {
        for (const problem of parsed.problems) {
          context.addIssue({ code: 'custom', path: ['LACQUER_API_KEYS'], message: problem });
        }
        return z.NEVER;
      }
      apiKeys.push(...parsed.keys);
    }
    if (apiKeys.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['LACQUER_API_KEY'],
        message: 'set LACQUER_API_KEY or LACQUER_API_KEYS: the API needs at least one key',
      });
      return z.NEVER;
    }
    const hashes = new Set(apiKeys.map((key) => key.keySha256.toString('hex')));
    if (hashes.size !== apiKeys.length) {
      context.addIssue({ code: 'custom', path: ['LACQUER_API_KEYS'], message: 'a key is listed twice' });
      return z.NEVER;
    }
    const adminKeys = adminKeysOf(plainAdminKey, hashedAdminKeys);
    if ('problems' in adminKeys) {
      for (const problem of adminKeys.problems) {
        context.addIssue({ code: 'custom', path: ['LACQUER_ADMIN_API_KEYS'], message: problem });
      }
      return z.NEVER;
    }
    if (adminKeys.keys.some((admin) => hashes.has(admin.keySha256.toString('hex')))) {
      context.addIssue({
        code: 'custom',
        path: ['LACQUER_ADMIN_API_KEY'],
        message: 'an admin key is also a tenant key',
      });
      return z.NEVER;
    }
    return {
      ...platform,
      apiKeys,
      adminKeys: adminKeys.keys,
      maxUploadBytes,
      signedUrlTtlSeconds,
      maxJobsInFlightPerTenant,
    };
  });

/** The tenant id admin keys are held under (never a tenant's: it is not a subject token). */
const OPERATOR = '@operator';

function adminKeysOf(
  plainKey: string | undefined,
  hashedKeys: string | undefined,
): { readonly keys: readonly ApiKeyHash[] } | { readonly problems: readonly string[] } {
  const keys: ApiKeyHash[] =
    plainKey === undefined ? [] : [{ tenantId: OPERATOR, keySha256: hashApiKey(plainKey) }];
  const problems: string[] = [];
  (hashedKeys ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .forEach((hex, index) => {
      if (/^[0-9a-fA-F]{64}$/.test(hex))
        keys.push({ tenantId: OPERATOR, keySha256: Buffer.from(hex, 'hex') });
      else problems.push(`entry ${index + 1}: expected the 64 hex digits of a SHA-256`);
    });
  return problems.length > 0 ? { problems } : { keys };
}
