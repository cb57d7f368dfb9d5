import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './attachment-disposition.ts';

describe('attachmentDisposition', () => {
  it('quotes an ASCII name and repeats it in filename*', () => {
    expect(attachmentDisposition('My Song (master).wav')).toBe(
      `attachment; filename="My Song (master).wav"; filename*=UTF-8''My%20Song%20%28master%29.wav`,
    );
  });

  it('replaces non-ASCII, quotes and backslash-like characters in the fallback only', () => {
    expect(attachmentDisposition('Björk "live" 100%.mp3')).toBe(
      `attachment; filename="Bj_rk _live_ 100_.mp3"; filename*=UTF-8''Bj%C3%B6rk%20%22live%22%20100%25.mp3`,
    );
  });

  it.each(['', 'a/b.wav', 'a\\b.wav', 'a\r\nSet-Cookie: x', 'x'.repeat(256)])('refuses %j', (filename) => {
    expect(() => attachmentDisposition(filename)).toThrow(TypeError);
  });
});
