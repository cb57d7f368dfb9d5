import {
  createPeakMeter,
  measureThirdOctaveSpectrum,
  type PlanarAudio,
  type ThirdOctaveSpectrum,
} from '@lacquer/dsp';
import { forEachScaledBlock } from '../scaled-blocks.ts';
import { measureSpectralFeatures, type SpectralFeatures } from '../spectral-features.ts';

// The DSP jobs that can run beside the main thread: pure functions of shared audio, called
// inline or in a worker (`dsp-worker.ts`) with the same results.

/**
 * The part of the analysis that runs in the pool (about half the work: the long-term spectra
 * and the oversampled peaks).
 */
export interface PooledAnalysis {
  readonly spectrum: ThirdOctaveSpectrum;
  readonly spectral: SpectralFeatures;
  readonly peaks: ProgrammePeaks;
}

export function pooledAnalysis(audio: PlanarAudio): PooledAnalysis {
  return {
    spectrum: measureThirdOctaveSpectrum(audio),
    spectral: measureSpectralFeatures(audio),
    peaks: gridPeaks(audio),
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

/** BS.1770-4 true peaks and sample peaks of a programme, per channel, linear. */
export interface ProgrammePeaks {
  readonly truePeaksLinear: number[];
  readonly samplePeaksLinear: number[];
}

export function gridPeaks(audio: PlanarAudio): ProgrammePeaks {
  const meter = createPeakMeter({ sampleRateHz: audio.sampleRateHz, channelCount: audio.channels.length });
  meter.push(audio.channels);
  return { truePeaksLinear: meter.truePeaksLinear(), samplePeaksLinear: meter.samplePeaksLinear() };
}
