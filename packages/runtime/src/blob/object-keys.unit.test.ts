import { describe, expect, it } from 'vitest';
import { ARTIFACT_NAMES, type ArtifactName, artifactObjectKey, uploadObjectKey } from './object-keys.ts';

const HOSTILE_IDS = [
  '',
  '.',
  '..',
  '../other-tenant',
  '..%2fother',
  '%2e%2e',
  'a/b',
  'a\\b',
  '/abs',
  'a b',
  'a\u0000b',
  'ü',
  'x'.repeat(129),
];

describe('uploadObjectKey', () => {
  it('builds tenants/<tenant>/uploads/<upload>', () => {
    expect(uploadObjectKey({ tenantId: 'acme_1', uploadId: '0199-abc' })).toBe(
      'tenants/acme_1/uploads/0199-abc',
    );
  });

  it('accepts 128-character ids', () => {
    const id = 'a'.repeat(128);
    expect(uploadObjectKey({ tenantId: id, uploadId: id })).toBe(`tenants/${id}/uploads/${id}`);
  });

  it.each(HOSTILE_IDS)('refuses the tenant id %j', (tenantId) => {
    expect(() => uploadObjectKey({ tenantId, uploadId: 'u1' })).toThrow(TypeError);
  });

  it.each(HOSTILE_IDS)('refuses the upload id %j', (uploadId) => {
    expect(() => uploadObjectKey({ tenantId: 't1', uploadId })).toThrow(TypeError);
  });
});

describe('artifactObjectKey', () => {
  it.each(ARTIFACT_NAMES)('builds tenants/<tenant>/jobs/<job>/%s', (artifact) => {
    expect(artifactObjectKey({ tenantId: 't1', jobId: 'j-1', artifact })).toBe(
      `tenants/t1/jobs/j-1/${artifact}`,
    );
  });

  it.each(HOSTILE_IDS)('refuses the job id %j', (jobId) => {
    expect(() => artifactObjectKey({ tenantId: 't1', jobId, artifact: 'master.wav' })).toThrow(TypeError);
  });

  it.each(['', '../master.wav', 'master.wav/..', 'x/master.wav', 'MASTER.WAV', 'master.flac', '%2e%2e'])(
    'refuses the artifact %j (not in the fixed list)',
    (artifact) => {
      expect(() =>
        artifactObjectKey({ tenantId: 't1', jobId: 'j1', artifact: artifact as ArtifactName }),
      ).toThrow(TypeError);
    },
  );
});
