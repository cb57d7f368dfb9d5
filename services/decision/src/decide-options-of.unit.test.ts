import { create } from '@bufbuild/protobuf';
import { JobRequestedSchema, MatchAmountsSchema } from '@lacquer/contracts';
import type { Analysis } from '@lacquer/engine';
import { describe, expect, it } from 'vitest';
import { decideOptionsOf } from './decide-options-of.ts';

const REFERENCE = { integratedLufs: -9 } as Analysis;

describe('decideOptionsOf', () => {
  it('keeps the engine defaults for what the request leaves out', () => {
    expect(decideOptionsOf(create(JobRequestedSchema, {}), null)).toEqual({ reference: null });
  });

  it('passes the style and intensity of auto mode', () => {
    const request = create(JobRequestedSchema, { style: 'bright', intensityPercent: 40 });
    expect(decideOptionsOf(request, null)).toEqual({
      reference: null,
      style: 'bright',
      intensityPercent: 40,
    });
  });

  it('passes the reference and only the amounts that were sent (0 % included)', () => {
    const request = create(JobRequestedSchema, {
      matchAmounts: create(MatchAmountsSchema, { tonePercent: 0, densityPercent: 25 }),
    });
    expect(decideOptionsOf(request, REFERENCE)).toEqual({
      reference: REFERENCE,
      amounts: { tonePercent: 0, densityPercent: 25 },
    });
  });
});
