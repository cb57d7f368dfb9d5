import { linearToDb } from './decibels.ts';
import { gatedIntegratedLoudness } from './integrated-loudness.ts';
import { createLoudnessMeter, type HopEnergies, type LoudnessMeterOptions } from './loudness-meter.ts';
import { loudnessRangeLu } from './loudness-range.ts';
import { type LoudnessSeries, seriesMaxLufs, slidingLoudness } from './loudness-series.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { createPeakMeter } from './true-peak-meter.ts';

/** The EBU R128 figures of a programme, with their units, windows and standards. */
export interface LoudnessSummary {
  /** Gated integrated loudness, ITU-R BS.1770-4 §2.5, LUFS (`-Infinity` for silence). */
  readonly integratedLufs: number;
  /** Loudness range, EBU Tech 3342, LU (≥ 0). */
  readonly loudnessRangeLu: number;
  /** Largest momentary loudness (400 ms window, 10 ms hop), EBU Tech 3341, LUFS. */
  readonly momentaryMaxLufs: number;
  /** Largest short-term loudness (3 s window, 10 ms hop), EBU Tech 3341, LUFS. */
  readonly shortTermMaxLufs: number;
  /** Largest oversampled absolute value over all channels, BS.1770-4 Annex 2, dBTP. */
  readonly truePeakDbtp: number;
  /** Largest absolute sample value over all channels, dBFS. */
  readonly samplePeakDbfs: number;
}

/** Every EBU R128 measure of a programme: the summary, per-channel peaks and the series. */
export interface LoudnessMeasures extends LoudnessSummary {
  /** Per-channel true peak, dBTP. */
  readonly channelTruePeaksDbtp: readonly number[];
  /** Momentary loudness every 10 ms (window ends from 0.4 s). */
  readonly momentary: LoudnessSeries;
  /** Short-term loudness every 10 ms (window ends from 3 s). */
  readonly shortTerm: LoudnessSeries;
}

/** A streaming EBU R128 analyzer: push planar blocks of any size, then read the measures. */
export interface LoudnessAnalyzer {
  push(block: readonly Float32Array[]): void;
  result(): LoudnessMeasures;
}

const MOMENTARY_WINDOW_HOPS = 40; // 400 ms of 10 ms hops
const SHORT_TERM_WINDOW_HOPS = 300; // 3 s
const GATING_STRIDE_HOPS = 10; // 100 ms: 75 % overlap of 400 ms blocks (BS.1770-4 §2.5)
const LRA_STRIDE_HOPS = 10; // short-term values at 10 Hz for EBU Tech 3342

/** Creates a streaming analyzer; see {@link LoudnessMeasures} for what it reports. */
export function createLoudnessAnalyzer(options: LoudnessMeterOptions): LoudnessAnalyzer {
  const meter = createLoudnessMeter(options);
  const peaks = createPeakMeter(options);
  return {
    push(block) {
      meter.push(block);
      peaks.push(block);
    },
    result: () => loudnessMeasures(meter.hopEnergies(), peaks.truePeaksLinear(), peaks.samplePeaksLinear()),
  };
}

/** Gated integrated loudness (BS.1770-4 §2.5) from a meter's hop energies, LUFS. */
export function integratedLoudness(hops: HopEnergies): number {
  return gatedIntegratedLoudness(slidingLoudness(hops, MOMENTARY_WINDOW_HOPS, GATING_STRIDE_HOPS));
}

/**
 * Assembles {@link LoudnessMeasures} from a meter's hop energies and per-channel peaks
 * (linear), for callers that meter loudness and peaks apart (e.g. on two threads).
 */
export function loudnessMeasures(
  hops: HopEnergies,
  truePeaksLinear: readonly number[],
  samplePeaksLinear: readonly number[],
): LoudnessMeasures {
  const momentary = slidingLoudness(hops, MOMENTARY_WINDOW_HOPS);
  const shortTerm = slidingLoudness(hops, SHORT_TERM_WINDOW_HOPS);
  const channelTruePeaksDbtp = truePeaksLinear.map(linearToDb);
  return {
    integratedLufs: integratedLoudness(hops),
    loudnessRangeLu: loudnessRangeLu(slidingLoudness(hops, SHORT_TERM_WINDOW_HOPS, LRA_STRIDE_HOPS)),
    momentaryMaxLufs: seriesMaxLufs(momentary),
    shortTermMaxLufs: seriesMaxLufs(shortTerm),
    truePeakDbtp: Math.max(...channelTruePeaksDbtp),
    samplePeakDbfs: linearToDb(Math.max(...samplePeaksLinear)),
    channelTruePeaksDbtp,
    momentary,
    shortTerm,
  };
}

/** Measures a whole in-memory programme; see {@link createLoudnessAnalyzer}. */
export function analyzeLoudness(audio: PlanarAudio, channelWeights?: readonly number[]): LoudnessMeasures {
  const analyzer = createLoudnessAnalyzer({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    ...(channelWeights ? { channelWeights } : {}),
  });
  analyzer.push(audio.channels);
  return analyzer.result();
}
