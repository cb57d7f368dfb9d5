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

/**
 * The continuous true peaks (`createPeakMeter` with `continuous`: between the oversampling
 * grid points too) of `audio · gainLinear · gainCurve`, per channel, linear.
 */
export function continuousTruePeaks(
  audio: PlanarAudio,
  gainCurve: Float32Array,
  gainLinear: number,
): number[] {
  const meter = createPeakMeter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
    continuous: true,
  });
  forEachScaledBlock(audio, gainCurve, gainLinear, (block) => meter.push(block));
  return meter.truePeaksLinear();
}

export function weightedPower(audio: PlanarAudio): Float32Array {
  return kWeightedPower(audio);
}

/** The continuous-mode `truePeakEnvelope` at the audio's own oversampling factor. */
export function continuousPeakEnvelope(audio: PlanarAudio, floorLinear: number): Float32Array {
  const interpolator = createTruePeakInterpolator(truePeakOversamplingFactor(audio.sampleRateHz));
  return truePeakEnvelope(audio.channels, interpolator, floorLinear, { continuous: true });
}

/** BS.1770-4 true peaks and sample peaks of a programme, per channel, linear. */
export function gridPeaks(audio: PlanarAudio): { truePeaksLinear: number[]; samplePeaksLinear: number[] } {
  const meter = createPeakMeter({ sampleRateHz: audio.sampleRateHz, channelCount: audio.channels.length });
  meter.push(audio.channels);
  return { truePeaksLinear: meter.truePeaksLinear(), samplePeaksLinear: meter.samplePeaksLinear() };
}
