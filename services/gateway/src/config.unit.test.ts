import { createHash } from 'node:crypto';
import { loadConfig } from '@lacquer/runtime';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from './api-keys.ts';
import { gatewayConfigSchema } from './config.ts';

const SECRET = 'x'.repeat(32);

describe('gateway config', () => {
  it('hashes the local key, reads the operator keys, and applies the defaults', () => {
    const acmeHash = createHash('sha256').update('acme-key').digest('hex');
    const config = loadConfig(gatewayConfigSchema, {
      LACQUER_SIGNING_SECRET: SECRET,
      LACQUER_API_KEY: 'local-key',
      LACQUER_API_KEYS: `acme:${acmeHash}`,
    });

    expect(config).toMatchObject({
      PORT: 8080,
      NATS_URL: 'nats://127.0.0.1:4222',
      maxUploadBytes: 1024 ** 3,
      signedUrlTtlSeconds: 900,
      maxJobsInFlightPerTenant: 100,
      apiKeys: [
        { tenantId: 'local', keySha256: hashApiKey('local-key') },
        { tenantId: 'acme', keySha256: Buffer.from(acmeHash, 'hex') },
      ],
    });
    expect(JSON.stringify(config)).not.toContain('local-key');
    expect(config).not.toHaveProperty('LACQUER_API_KEY');
  });

  it.each([
    ['no key at all', {}],
    ['a malformed operator key', { LACQUER_API_KEYS: 'acme:nothex' }],
    [
      'the same key twice',
      { LACQUER_API_KEY: 'k', LACQUER_API_KEYS: `x:${createHash('sha256').update('k').digest('hex')}` },
    ],
    ['a TTL over 7 days', { LACQUER_API_KEY: 'k', LACQUER_SIGNED_URL_TTL_SECONDS: '604801' }],
    ['a max upload size of 0', { LACQUER_API_KEY: 'k', LACQUER_MAX_UPLOAD_BYTES: '0' }],
    ['a jobs-in-flight limit of 0', { LACQUER_API_KEY: 'k', LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT: '0' }],
    [
      'a jobs-in-flight limit that is not a number',
      { LACQUER_API_KEY: 'k', LACQUER_MAX_JOBS_IN_FLIGHT_PER_TENANT: 'many' },
    ],
  ])('refuses %s with CONFIG_INVALID', (_what, env) => {
    expect(() => loadConfig(gatewayConfigSchema, { LACQUER_SIGNING_SECRET: SECRET, ...env })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
