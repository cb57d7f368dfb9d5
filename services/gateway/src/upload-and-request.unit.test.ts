import { describe, expect, it } from 'vitest';
import { audioContentType, hasAudioExtension } from './audio-upload-types.ts';
import { canonicalJson, requestHash } from './request-hash.ts';

describe('audio upload types', () => {
  it.each([
    ['audio/wav', 'audio/wav'],
    ['Audio/X-WAV; rate=44100', 'audio/x-wav'],
    ['audio/flac', 'audio/flac'],
    ['audio/mpeg', 'audio/mpeg'],
    ['text/plain', null],
    ['audio/', null],
    ['video/mp4', null],
  ])('%s is %s', (declared, accepted) => {
    expect(audioContentType(declared)).toBe(accepted);
  });

  it.each([
    ['mix.wav', true],
    ['Song.Final.FLAC', true],
    ['a.m4a', true],
    ['.wav', false],
    ['mix', false],
    ['mix.wav.exe', false],
  ])('%s has an audio extension: %s', (filename, expected) => {
    expect(hasAudioExtension(filename)).toBe(expected);
  });
});

describe('request hash', () => {
  it('is the same for the same meaning, whatever the key order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[2,{"c":null,"d":1}]}',
    );
    expect(requestHash({ a: 1, b: { c: 2 } })).toBe(requestHash({ b: { c: 2 }, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
