import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
import { frameMeanSquare } from './frame-mean-square.ts';
import { type FrameSource, planarFrameSource } from './frame-source.ts';
import type { PlanarAudio } from './planar-audio.ts';
import { RealSpectrum, scaledFftSize, spreadFrameStarts } from './real-spectrum.ts';
import {
  binnedBandPower,
  FIRST_NOMINAL_BAND_INDEX,
  NOMINAL_THIRD_OCTAVE_CENTRES_HZ,
  thirdOctaveBandEdges,
} from './third-octave-bands.ts';

/** Transform size at 44.1/48 kHz: 5.4 Hz bins, 186 ms frames; scaled with the rate. */
const BASE_FFT_SIZE_SAMPLES = 8192;
/**
 * Frames per average at most (12.7 min at 44.1 kHz without overlap); longer audio is sampled
 * by {@link spreadFrameStarts}, which bounds the cost at about 0.6 s.
 */
const MAX_FRAME_COUNT = 4096;

/** One band of a {@link ThirdOctaveSpectrum}. */
export interface ThirdOctaveBand {
  /** Exact (base-2) centre, `1000 · 2^(k/3)` Hz. */
  readonly centreFrequencyHz: number;
  /** ISO 266 nominal centre for labels (20, 25, 31.5 … 20000 Hz). */
  readonly nominalCentreFrequencyHz: number;
  /** Band edges at `centre · 2^(∓1/6)` Hz (the upper edge is clipped to Nyquist). */
  readonly lowerEdgeFrequencyHz: number;
  readonly upperEdgeFrequencyHz: number;
  /**
   * Mean-square power of the signal in the band, dB re full scale (`10·log10(P)`, where a
   * square wave of amplitude 1.0 has total power 1): a 0 dBFS sine at the band centre reads
   * −3.01 dB; white noise of RMS `r` dBFS reads `r + 10·log10(bandwidth / Nyquist)`.
   * `-Infinity` when the band holds no energy or no frame was analysed.
   */
  readonly levelDb: number;
}

/** Result of {@link measureThirdOctaveSpectrum}. */
export interface ThirdOctaveSpectrum {
  /** Bands from 20 Hz upwards, those with a centre at or above Nyquist omitted. */
  readonly bands: readonly ThirdOctaveBand[];
  /** Number of analysis frames averaged (after the activity gate). */
  readonly analyzedFrameCount: number;
  /** Number of frames the activity gate skipped. */
  readonly skippedFrameCount: number;
  /** Transform (and frame) length in samples, for resolution: bins are `sampleRateHz / fftSizeSamples` wide. */
  readonly fftSizeSamples: number;
}

/** Options of {@link measureThirdOctaveSpectrum}. */
export interface ThirdOctaveSpectrumOptions {
  /**
   * Activity gate: frames whose RMS (all channels, power-averaged, unwindowed) is below this
   * level in dBFS are left out of the average, so silent or near-silent passages do not
   * pull the long-term spectrum down. Default: no gate (`-Infinity`). To restrict the
   * analysis to a time range, pass a {@link sliceFrames} view.
   */
  readonly minFrameRmsDbfs?: number;
}

/**
 * Long-term average spectrum of `audio` in ISO 266 / IEC 61260-1 one-third-octave bands.
 *
 * Method (Welch 1967, without overlap): periodic Hann frames of 8192 samples at 44.1/48 kHz
 * (the size scales with the rate, see {@link scaledFftSize}) that tile the audio end to end,
 * plus one frame aligned to the end if samples remain; audio longer than 4096 frames is
 * sampled by 4096 frames spread over its whole length (see {@link spreadFrameStarts}).
 * Without overlap the window weights samples near frame edges less than those in the
 * middle, which for a long-term average of music costs little: on the six corpus mixes every
 * band from 40 Hz to 16 kHz stays within 0.3 dB (RMS over the bands under 0.08 dB) of the
 * 50 %-overlap average, at half the transforms. Two channels share one complex FFT
 * (fft.js; `|A_k|² + |B_k|² = (|Z_k|² + |Z_{N−k}|²) / 2`). Each frame's one-sided power
 * spectrum is normalised to mean square
 * (`2·|X_k|² / (N·Σw²)`, so the bins sum to the frame's window-weighted mean square), and
 * frames and channels are averaged as power (a stereo signal with the same sine in both
 * channels reads like its mono version). Each FFT bin is treated as a rectangle of one bin
 * width and split between bands by overlap, which conserves power. Band edges are
 * `centre · 2^(±1/6)` with base-2 exact centres `1000 · 2^(k/3)` (IEC 61260-1:2014 §5.4).
 *
 * Resolution and limits: bins are about 5.4 Hz wide at 44.1 kHz, while the 20 Hz band is only
 * 4.6 Hz wide, and the Hann main lobe is ±2 bins: below about 100 Hz a pure tone's power
 * spreads into neighbouring bands (power is conserved overall). These are FFT-derived bands
 * (brick-wall), not the IEC class 1 filter-bank responses. Audio shorter than one frame is
 * analysed as one zero-padded frame with a window of its own length. The top band is
 * integrated up to Nyquist only; bands centred at or above Nyquist are omitted.
 *
 * Edge cases: silence, empty audio, or every frame gated gives `-Infinity` in every band.
 * Cost: one complex FFT of size N per frame and channel pair (3 min stereo at 44.1 kHz:
 * about 970 transforms of 8192).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio or a NaN `minFrameRmsDbfs`.
 */
export function measureThirdOctaveSpectrum(
  audio: PlanarAudio,
  options: ThirdOctaveSpectrumOptions = {},
): ThirdOctaveSpectrum {
  assertPlanarAudio(audio, 'measureThirdOctaveSpectrum');
  const minFrameRmsDbfs = options.minFrameRmsDbfs ?? Number.NEGATIVE_INFINITY;
  assertParameter(
    !Number.isNaN(minFrameRmsDbfs),
    'measureThirdOctaveSpectrum',
    'minFrameRmsDbfs',
    minFrameRmsDbfs,
  );
  return measureThirdOctaveSpectrumOf(planarFrameSource(audio), minFrameRmsDbfs);
}

/**
 * {@link measureThirdOctaveSpectrum} of a programme read through a {@link FrameSource} (e.g. a
 * long file on disk): it reads only the frames it transforms (at most 4096 of 186 ms) into a
 * buffer of its own. Same result as `measureThirdOctaveSpectrum` of the same audio.
 *
 * @param minFrameRmsDbfs the activity gate of {@link ThirdOctaveSpectrumOptions} (`-Infinity`: none), not NaN.
 */
export function measureThirdOctaveSpectrumOf(
  source: FrameSource,
  minFrameRmsDbfs: number = Number.NEGATIVE_INFINITY,
): ThirdOctaveSpectrum {
  const { sampleRateHz, channelCount, lengthSamples } = source;
  const fftSizeSamples = scaledFftSize(BASE_FFT_SIZE_SAMPLES, sampleRateHz);
  const windowLengthSamples = Math.min(fftSizeSamples, lengthSamples);
  const halfSize = fftSizeSamples / 2;
  const binPower = new Float64Array(halfSize + 1);
  let analyzedFrameCount = 0;
  let skippedFrameCount = 0;

  if (windowLengthSamples > 0) {
    const spectrum = new RealSpectrum(fftSizeSamples, windowLengthSamples);
    const { bins } = spectrum;
    const gateMeanSquare = 10 ** (minFrameRmsDbfs / 10);
    const gated = gateMeanSquare > 0;
    const starts = spreadFrameStarts(
      lengthSamples,
      windowLengthSamples,
      windowLengthSamples,
      MAX_FRAME_COUNT,
    );
    const channels = Array.from({ length: channelCount }, () => new Float32Array(windowLengthSamples));
    for (const start of starts) {
      source.read(start, channels);
      if (gated && frameMeanSquare(channels, 0, windowLengthSamples) < gateMeanSquare) {
        skippedFrameCount++;
        continue;
      }
      analyzedFrameCount++;
      // Channels two at a time in one complex transform; an odd last channel on its own.
      for (let c = 0; c < channels.length; c += 2) {
        const channel = channels[c]!;
        const next = channels[c + 1];
        if (next === undefined) {
          spectrum.loadChannel(channel, 0);
          spectrum.transform();
          accumulatePower(binPower, bins);
          continue;
        }
        spectrum.loadPair(channel, 0, next, 0);
        spectrum.addPairPower(binPower);
      }
    }
    if (analyzedFrameCount > 0) {
      const scale = 2 / (fftSizeSamples * spectrum.windowPowerSum * analyzedFrameCount * channels.length);
      for (let k = 0; k <= halfSize; k++) binPower[k] = binPower[k]! * scale;
      binPower[0] = binPower[0]! / 2;
      binPower[halfSize] = binPower[halfSize]! / 2;
    }
  }

  const nyquistHz = sampleRateHz / 2;
  const binWidthHz = sampleRateHz / fftSizeSamples;
  const bands: ThirdOctaveBand[] = [];
  NOMINAL_THIRD_OCTAVE_CENTRES_HZ.forEach((nominalCentreFrequencyHz, index) => {
    const edges = thirdOctaveBandEdges(FIRST_NOMINAL_BAND_INDEX + index);
    const { centreFrequencyHz, lowerEdgeFrequencyHz } = edges;
    if (centreFrequencyHz >= nyquistHz) return;
    const upperEdgeFrequencyHz = Math.min(nyquistHz, edges.upperEdgeFrequencyHz);
    const power = binnedBandPower(binPower, binWidthHz, lowerEdgeFrequencyHz, upperEdgeFrequencyHz);
    bands.push({
      centreFrequencyHz,
      nominalCentreFrequencyHz,
      lowerEdgeFrequencyHz,
      upperEdgeFrequencyHz,
      levelDb: 10 * Math.log10(power),
    });
  });
  return { bands, analyzedFrameCount, skippedFrameCount, fftSizeSamples };
}

/** Adds `|X_k|²` of bins `0 … binPower.length − 1` to `binPower`. */
function accumulatePower(binPower: Float64Array, bins: Float64Array): void {
  for (let k = 0; k < binPower.length; k++) {
    const re = bins[2 * k]!;
    const im = bins[2 * k + 1]!;
    binPower[k] = binPower[k]! + re * re + im * im;
  }
}
