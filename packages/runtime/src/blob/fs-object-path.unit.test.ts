import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsObjectPaths } from './fs-object-path.ts';

const ROOT = resolve('/var/lib/lacquer/blobs');

describe('fsObjectPaths', () => {
  it('maps a key to a file and its sidecar under the root', () => {
    expect(fsObjectPaths(ROOT, 'tenants/t1/jobs/j1/master.wav')).toEqual({
      dataPath: join(ROOT, 'tenants', 't1', 'jobs', 'j1', 'master.wav'),
      metaPath: join(ROOT, 'tenants', 't1', 'jobs', 'j1', 'master.wav.meta.json'),
    });
  });

  it.each([
    '',
    '/',
    '/etc/passwd',
    '../etc/passwd',
    'tenants/../../etc/passwd',
    'tenants/t1/..',
    'tenants/./t1',
    'tenants//t1',
    'tenants/t1/',
    '%2e%2e/%2e%2e/etc/passwd',
    '..%2f..%2fetc',
    'tenants\\..\\..\\etc',
    'tenants/t1/.hidden',
    'tenants/t1/x.meta.json',
    'tenants/t1/a\u0000b',
    'tenants/t1/a b',
  ])('refuses %j', (key) => {
    expect(() => fsObjectPaths(ROOT, key)).toThrow(TypeError);
  });
});
