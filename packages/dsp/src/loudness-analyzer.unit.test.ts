import { expectWithin, stereoOf, toneSegments, truePeakSine } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { analyzeLoudness, createLoudnessAnalyzer } from './loudness-analyzer.ts';
import type { LoudnessSeries } from './loudness-series.ts';

// Tolerances are the specs' own: EBU Tech 3341 §2.9 Table 1 (±0.1 LU for M, S, I; +0.2/−0.4 dB
// for true peak) and EBU Tech 3342 §4 (±1 LU for LRA).
const LOUDNESS_TOLERANCE_LU = 0.1;
const LRA_TOLERANCE_LU = 1;
const TRUE_PEAK_OVER_DB = 0.2;
const TRUE_PEAK_UNDER_DB = 0.4;
const RATE_HZ = 48000;

const stereoTones = (segments: Parameters<typeof toneSegments>[1]) =>
  analyzeLoudness(stereoOf(toneSegments(RATE_HZ, segments), RATE_HZ));

function valuesFrom(series: LoudnessSeries, fromSeconds: number): number[] {
  const first = Math.max(0, Math.ceil((fromSeconds - series.firstEndSeconds) / series.hopSeconds - 1e-9));
  return Array.from(series.valuesLufs.subarray(first));
}

describe('spec: EBU Tech 3341 loudness', () => {
  it.each([
    [1, -23],
    [2, -33],
  ])(
    'case %i: a %i dBFS stereo sine reads that level for M, S and I, constant after 1 s / 3 s',
    (_, levelDbfs) => {
      const m = stereoTones([[20, levelDbfs]]);
      expectWithin(m.integratedLufs, levelDbfs, LOUDNESS_TOLERANCE_LU, 'I');
      expectWithin(m.momentaryMaxLufs, levelDbfs, LOUDNESS_TOLERANCE_LU, 'M max');
      expectWithin(m.shortTermMaxLufs, levelDbfs, LOUDNESS_TOLERANCE_LU, 'S max');
      for (const v of valuesFrom(m.momentary, 1)) expectWithin(v, levelDbfs, LOUDNESS_TOLERANCE_LU, 'M');
      for (const v of valuesFrom(m.shortTerm, 3)) expectWithin(v, levelDbfs, LOUDNESS_TOLERANCE_LU, 'S');
    },
  );

  it.each([
    [
      3,
      [
        [10, -36],
        [60, -23],
        [10, -36],
      ],
    ],
    [
      4,
      [
        [10, -72],
        [10, -36],
        [60, -23],
        [10, -36],
        [10, -72],
      ],
    ],
    [
      5,
      [
        [20, -26],
        [20.1, -20],
        [20, -26],
      ],
    ],
  ] as const)('case %i: gating gives I = −23 LUFS', (_, segments) => {
    expectWithin(stereoTones(segments).integratedLufs, -23, LOUDNESS_TOLERANCE_LU, 'I');
  });

  it('case 6: 5.0 and 5.1 programmes weight the surrounds +1.5 dB and exclude the LFE', () => {
    const tone = (db: number) => toneSegments(RATE_HZ, [[20, db]]);
    const five = analyzeLoudness({ sampleRateHz: RATE_HZ, channels: [-28, -28, -24, -30, -30].map(tone) });
    const loudLfe = tone(0);
    const sixChannels = [tone(-28), tone(-28), tone(-24), loudLfe, tone(-30), tone(-30)];
    const six = analyzeLoudness({ sampleRateHz: RATE_HZ, channels: sixChannels });
    expectWithin(five.integratedLufs, -23, LOUDNESS_TOLERANCE_LU, '5.0 I');
    expectWithin(six.integratedLufs, -23, LOUDNESS_TOLERANCE_LU, '5.1 I with a full-scale LFE');
  });

  it('case 9: short-term loudness is −23 LUFS and constant after 3 s', () => {
    const pattern = Array.from({ length: 5 }, () => [[1.34, -20] as const, [1.66, -30] as const]).flat();
    const m = stereoTones(pattern);
    expectWithin(m.shortTermMaxLufs, -23, LOUDNESS_TOLERANCE_LU, 'S max');
    for (const v of valuesFrom(m.shortTerm, 3)) expectWithin(v, -23, LOUDNESS_TOLERANCE_LU, 'S');
  });

  it.each([0, 3, 7, 19])(
    'case 10 (i = %i): the short-term maximum of a 3 s tone is −23 LUFS wherever it starts',
    (i) => {
      const m = stereoTones([
        [0.15 * i, null],
        [3, -23],
        [1, null],
      ]);
      expectWithin(m.shortTermMaxLufs, -23, LOUDNESS_TOLERANCE_LU, 'S max');
    },
  );

  it('case 12: momentary loudness is −23 LUFS and constant after 1 s', () => {
    const pattern = Array.from({ length: 25 }, () => [[0.18, -20] as const, [0.22, -30] as const]).flat();
    const m = stereoTones(pattern);
    for (const v of valuesFrom(m.momentary, 1)) expectWithin(v, -23, LOUDNESS_TOLERANCE_LU, 'M');
  });

  it.each(Array.from({ length: 20 }, (_, i) => i))(
    'case 13 (i = %i): the momentary maximum of a 400 ms tone is −23 LUFS wherever it starts (10 ms hop)',
    (i) => {
      const m = stereoTones([
        [0.02 * i, null],
        [0.4, -23],
        [1, null],
      ]);
      expectWithin(m.momentaryMaxLufs, -23, LOUDNESS_TOLERANCE_LU, 'M max');
    },
  );
});

describe('spec: EBU Tech 3341 true peak (cases 15–19) at 48 kHz and 44.1 kHz', () => {
  it.each([
    [15, 4, 0, -6],
    [16, 4, 45, -6],
    [17, 6, 60, -6],
    [18, 8, 67.5, -6],
    [19, 4, 45, 3],
  ])('case %i: sine at fs/%i, phase %f°, reads %i dBTP', (_, divisor, phaseDegrees, expectedDbtp) => {
    for (const sampleRateHz of [48000, 44100]) {
      const signal = stereoOf(truePeakSine(sampleRateHz, divisor, phaseDegrees, expectedDbtp), sampleRateHz);
      const { truePeakDbtp, samplePeakDbfs } = analyzeLoudness(signal);
      expect(truePeakDbtp).toBeGreaterThanOrEqual(expectedDbtp - TRUE_PEAK_UNDER_DB);
      expect(truePeakDbtp).toBeLessThanOrEqual(expectedDbtp + TRUE_PEAK_OVER_DB);
      expect(truePeakDbtp).toBeGreaterThanOrEqual(samplePeakDbfs);
    }
  });
});

describe('spec: EBU Tech 3342 loudness range', () => {
  it.each([
    [
      1,
      [
        [20, -20],
        [20, -30],
      ],
      10,
    ],
    [
      2,
      [
        [20, -20],
        [20, -15],
      ],
      5,
    ],
    [
      3,
      [
        [20, -40],
        [20, -20],
      ],
      20,
    ],
    [
      4,
      [
        [20, -50],
        [20, -35],
        [20, -20],
        [20, -35],
        [20, -50],
      ],
      15,
    ],
  ] as const)('case %i: LRA', (_, segments, expectedLu) => {
    expectWithin(stereoTones(segments).loudnessRangeLu, expectedLu, LRA_TOLERANCE_LU, 'LRA');
  });
});

describe('property: loudness and peaks', () => {
  it('a gain of g dB moves every loudness measure by g and leaves LRA unchanged', () => {
    const base = stereoTones([
      [5, -30],
      [5, -20],
      [5, -25],
    ]);
    const louder = analyzeLoudness(
      stereoOf(
        toneSegments(RATE_HZ, [
          [5, -24],
          [5, -14],
          [5, -19],
        ]),
        RATE_HZ,
      ),
    );
    const EXACT_LU = 1e-6; // pure scaling: float rounding only
    expectWithin(louder.integratedLufs - base.integratedLufs, 6, EXACT_LU, 'ΔI');
    expectWithin(louder.momentaryMaxLufs - base.momentaryMaxLufs, 6, EXACT_LU, 'ΔM');
    expectWithin(louder.loudnessRangeLu, base.loudnessRangeLu, EXACT_LU, 'LRA');
  });

  it('digital silence reads −Infinity LUFS and 0 LU', () => {
    const m = stereoTones([[5, null]]);
    expect(m.integratedLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(m.truePeakDbtp).toBe(Number.NEGATIVE_INFINITY);
    expect(m.loudnessRangeLu).toBe(0);
  });

  it('under 400 ms there is no gating block: −Infinity LUFS', () => {
    expect(stereoTones([[0.3, -20]]).integratedLufs).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('property: streaming', () => {
  it('any block size gives the same measures as one block', () => {
    const signal = stereoOf(
      toneSegments(RATE_HZ, [
        [2, -30],
        [3, -18],
        [2, -40],
      ]),
      RATE_HZ,
    );
    const whole = analyzeLoudness(signal);
    for (const blockLength of [1, 37, 480, 4096]) {
      const analyzer = createLoudnessAnalyzer({ sampleRateHz: RATE_HZ, channelCount: 2 });
      for (let start = 0; start < signal.channels[0]!.length; start += blockLength) {
        analyzer.push(signal.channels.map((c) => c.subarray(start, start + blockLength)));
      }
      const streamed = analyzer.result();
      const SAME_LU = 1e-9; // identical arithmetic, so identical results
      expectWithin(streamed.integratedLufs, whole.integratedLufs, SAME_LU, `I, block ${blockLength}`);
      expectWithin(streamed.loudnessRangeLu, whole.loudnessRangeLu, SAME_LU, `LRA, block ${blockLength}`);
      expectWithin(streamed.truePeakDbtp, whole.truePeakDbtp, SAME_LU, `TP, block ${blockLength}`);
    }
  });
});
