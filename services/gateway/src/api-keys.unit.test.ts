import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerToken, hashApiKey, parseApiKeyHashes, tenantOfApiKey } from './api-keys.ts';

const sha256Hex = (key: string) => createHash('sha256').update(key).digest('hex');

describe('API keys', () => {
  it('finds the tenant of a key by its hash', () => {
    const parsed = parseApiKeyHashes(
      ` acme:${sha256Hex('a-key')}, label_2:${sha256Hex('b-key').toUpperCase()} ,`,
    );
    expect('keys' in parsed).toBe(true);
    const keys = 'keys' in parsed ? parsed.keys : [];

    expect(keys.map((key) => key.tenantId)).toEqual(['acme', 'label_2']);
    expect(tenantOfApiKey(keys, 'a-key')).toBe('acme');
    expect(tenantOfApiKey(keys, 'b-key')).toBe('label_2');
    expect(tenantOfApiKey(keys, 'c-key')).toBeNull();
    expect(tenantOfApiKey([{ tenantId: 'local', keySha256: hashApiKey('x') }], 'x')).toBe('local');
  });

  it('reports each malformed entry without echoing hashes', () => {
    const parsed = parseApiKeyHashes(`acme:abc,bad tenant:${sha256Hex('k')},nocolon`);

    expect(parsed).toEqual({
      problems: [
        expect.stringContaining('entry 1'),
        expect.stringContaining('entry 2'),
        expect.stringContaining('entry 3'),
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain(sha256Hex('k'));
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc ', 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    ['Bearer a b', null],
    [undefined, null],
  ])('reads the bearer token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
