import {
  estimateKey,
  estimateTempo,
  type KeyEstimate,
  kWeightedPower,
  measureThirdOctaveSpectrum,
  type PlanarAudio,
  type TempoEstimate,
  type ThirdOctaveSpectrum,
} from '@lacquer/dsp';

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

export function weightedPower(audio: PlanarAudio): Float32Array {
  return kWeightedPower(audio);
}
