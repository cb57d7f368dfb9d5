import {
  type BiquadCoefficients,
  createBiquadCascade,
  createLoudnessMeter,
  createPeakMeter,
  dbToLinear,
  integratedLoudness,
  linearToDb,
  type PlanarAudio,
} from '@lacquer/dsp';
import { xorshift32 } from '@lacquer/testing';

/** Options of {@link pinkishStereo}. */
export interface PinkishStereoOptions {
  readonly sampleRateHz: number;
  readonly durationSeconds: number;
  readonly seed: number;
  /** Side level against the mid (independent noise), dB; `-Infinity` for dual mono. */
  readonly sideToMidDb: number;
}

/**
 * Deterministic stereo noise with a falling spectrum: mid and side are independent pink-ish
 * noises (uniform xorshift32 noise through Paul Kellet's economy pink filter, −3 dB per
 * octave within ±0.5 dB from about 10 Hz to 10 kHz at 44.1 kHz; a little different at other
 * rates, which does not matter here), L = M + S, R = M − S. Peaks about 0.1 full scale.
 */
export function pinkishStereo(options: PinkishStereoOptions): PlanarAudio {
  const { sampleRateHz, durationSeconds, seed, sideToMidDb } = options;
  const lengthSamples = Math.round(durationSeconds * sampleRateHz);
  const mid = pinkish(lengthSamples, seed);
  const side = pinkish(lengthSamples, seed ^ 0x5bd1e995);
  const sideGain = sideToMidDb === Number.NEGATIVE_INFINITY ? 0 : dbToLinear(sideToMidDb);
  const left = new Float32Array(lengthSamples);
  const right = new Float32Array(lengthSamples);
  for (let n = 0; n < lengthSamples; n++) {
    left[n] = mid[n]! + sideGain * side[n]!;
    right[n] = mid[n]! - sideGain * side[n]!;
  }
  return { sampleRateHz, channels: [left, right] };
}

function pinkish(lengthSamples: number, seed: number): Float64Array {
  const random = xorshift32(seed);
  const out = new Float64Array(lengthSamples);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let n = 0; n < lengthSamples; n++) {
    const white = (random() * 2 - 1) * 0.05;
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[n] = b0 + b1 + b2 + white * 0.1848;
  }
  return out;
}

/** A copy of `audio` through a cascade of biquads (the same on every channel). */
export function filtered(audio: PlanarAudio, sections: readonly BiquadCoefficients[]): PlanarAudio {
  const { sampleRateHz } = audio;
  const channels = audio.channels.map((x) => x.slice());
  createBiquadCascade({ sections, channelCount: channels.length, sampleRateHz }).process(channels, channels);
  return { sampleRateHz, channels };
}

/** A copy of `audio` times `gainDb`. */
export function gained(audio: PlanarAudio, gainDb: number): PlanarAudio {
  const gain = dbToLinear(gainDb);
  return { sampleRateHz: audio.sampleRateHz, channels: audio.channels.map((x) => x.map((v) => v * gain)) };
}

/** A copy of `audio`, every sample kept. */
export function copied(audio: PlanarAudio): PlanarAudio {
  return { sampleRateHz: audio.sampleRateHz, channels: audio.channels.map((x) => x.slice()) };
}

/**
 * Integrated loudness (ITU-R BS.1770-4, LUFS) and the continuous true peak (dBTP, between the
 * oversampling grid points too: what the render's limiter holds under its ceiling).
 */
export function loudnessAndPeak(audio: PlanarAudio): { integratedLufs: number; continuousPeakDbtp: number } {
  const options = { sampleRateHz: audio.sampleRateHz, channelCount: audio.channels.length };
  const meter = createLoudnessMeter(options);
  meter.push(audio.channels);
  const peaks = createPeakMeter({ ...options, continuous: true });
  peaks.push(audio.channels);
  return {
    integratedLufs: integratedLoudness(meter.hopEnergies()),
    continuousPeakDbtp: linearToDb(Math.max(...peaks.truePeaksLinear())),
  };
}
