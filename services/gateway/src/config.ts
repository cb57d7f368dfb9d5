import { type PlatformConfig, platformEnv, portEnv } from '@lacquer/runtime';
import { z } from 'zod';
import { type ApiKeyHash, hashApiKey, LOCAL_TENANT_ID, parseApiKeyHashes } from './api-keys.ts';

/** 1 GiB: the default of `LACQUER_MAX_UPLOAD_BYTES`. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

/** 15 minutes: the default of `LACQUER_SIGNED_URL_TTL_SECONDS`. */
export const DEFAULT_SIGNED_URL_TTL_SECONDS = 900;

/** What the HTTP API needs to know (see {@link GatewayConfig}); `buildApp` takes this much. */
export interface ApiConfig {
  /** Every API key, as SHA-256 hashes only. At least one. */
  readonly apiKeys: readonly ApiKeyHash[];
  /** Largest upload (and input or reference of a job) accepted, bytes. */
  readonly maxUploadBytes: number;
  /** Lifetime of signed upload and download URLs, seconds (1 … 604800). */
  readonly signedUrlTtlSeconds: number;
}

/** The gateway's validated settings: the platform's, its port, and the API's. */
export interface GatewayConfig extends PlatformConfig, ApiConfig {
  readonly PORT: number;
}

const gatewayEnv = z.object({
  LACQUER_API_KEY: z.string().min(1).optional(),
  LACQUER_API_KEYS: z.string().optional(),
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
});

/**
 * The gateway's environment (use with `loadConfig`):
 *
 * - the platform's (`platformEnv`: NATS, blob store, read model, logs) and `PORT` (default 10080);
 * - `LACQUER_API_KEY`: the plaintext API key of the tenant `local` (one machine);
 * - `LACQUER_API_KEYS`: `tenantId:sha256hex,…`, keys of other tenants as SHA-256 hashes (operators);
 * - at least one of the two;
 * - `LACQUER_MAX_UPLOAD_BYTES` (default 1 GiB), `LACQUER_SIGNED_URL_TTL_SECONDS` (default 900).
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
      LACQUER_MAX_UPLOAD_BYTES: maxUploadBytes,
      LACQUER_SIGNED_URL_TTL_SECONDS: signedUrlTtlSeconds,
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
    return { ...platform, apiKeys, maxUploadBytes, signedUrlTtlSeconds };
  });
