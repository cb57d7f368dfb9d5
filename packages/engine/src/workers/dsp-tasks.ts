import {
  createPeakMeter,
  createTruePeakInterpolator,
  estimateKey,
  estimateTempo,
  type KeyEstimate,
  kWeightedPower,
  measureThirdOctaveSpectrum,
  type PlanarAudio,
  type TempoEstimate,
  type ThirdOctaveSpectrum,
  truePeakEnvelope,
  truePeakOversamplingFactor,
} from '@lacquer/dsp';
import { forEachScaledBlock } from '../scaled-blocks.ts';

// The DSP jobs that can run beside the main thread: pure functions of shared audio, called
// inline or in a worker (`dsp-worker.ts`) with the same results.

/** The FFT-heavy part of the analysis. */
export interface SpectralFeatures {
  readonly spectrum: ThirdOctaveSpectrum;
  readonly key: KeyEstimate;
  readonly tempo: TempoEstimate;
}

export function spectralFeatures(audio: PlanarAudio): SpectralFeatures {
  return {
    spectrum: measureThirdOctaveSpectrum(audio),
    key: estimateKey(audio),
    tempo: estimateTempo(audio),
  };
}

/** Peaks of a candidate master, per channel, linear. */
export interface CandidatePeaks {
  /** BS.1770-4 true peaks (the 4× grid). */
  readonly truePeaksLinear: number[];
  readonly samplePeaksLinear: number[];
  /** Continuous true peaks (between the grid points too: `createPeakMeter` with `continuous`). */
  readonly continuousTruePeaksLinear: number[];
}

/** {@link CandidatePeaks} of `audio · gainLinear · gainCurve`, computed block by block. */
export function candidatePeaks(
  audio: PlanarAudio,
  gainCurve: Float32Array,
  gainLinear: number,
): CandidatePeaks {
  const options = { sampleRateHz: audio.sampleRateHz, channelCount: audio.channels.length };
  const grid = createPeakMeter(options);
  const continuous = createPeakMeter({ ...options, continuous: true });
  forEachScaledBlock(audio, gainCurve, gainLinear, (block) => {
    grid.push(block);
    continuous.push(block);
  });
  return {
    truePeaksLinear: grid.truePeaksLinear(),
    samplePeaksLinear: grid.samplePeaksLinear(),
    continuousTruePeaksLinear: continuous.truePeaksLinear(),
  };
}

export function weightedPower(audio: PlanarAudio): Float32Array {
  return kWeightedPower(audio);
}

/** The continuous-mode `truePeakEnvelope` at the audio's own oversampling factor. */
export function continuousPeakEnvelope(audio: PlanarAudio, floorLinear: number): Float32Array {
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(audio.sampleRateHz));
  return truePeakEnvelope(audio.channels, interpolator, floorLinear, { continuous: true });
}
