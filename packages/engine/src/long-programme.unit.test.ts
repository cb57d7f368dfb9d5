import { describe, expect, it } from 'vitest';
import { isLongProgramme, longProgrammeSecondsOf } from './long-programme.ts';

describe('isLongProgramme and longProgrammeSecondsOf', () => {
  it('takes longer and unknown lengths the long way; reads the threshold from the environment', () => {
    expect(isLongProgramme(601, 600)).toBe(true);
    expect(isLongProgramme(600, 600)).toBe(false);
    expect(isLongProgramme(undefined, 600)).toBe(true);
    expect(longProgrammeSecondsOf({})).toBe(600);
    expect(longProgrammeSecondsOf({ LACQUER_LONG_FILE_SECONDS: '0' })).toBe(0);
    expect(() => longProgrammeSecondsOf({ LACQUER_LONG_FILE_SECONDS: 'ten' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
