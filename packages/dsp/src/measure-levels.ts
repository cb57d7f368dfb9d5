import { assertPlanarAudio } from './assert-planar-audio.ts';
import { createLevelsMeter } from './levels-meter.ts';
import type { PlanarAudio } from './planar-audio.ts';

/** Sample-level measures of one channel. */
export interface ChannelLevels {
  /** Largest `|x|` in dBFS (0 dBFS = 1.0); `-Infinity` for digital silence. Not a true peak. */
  readonly samplePeakDbfs: number;
  /** `10·log10(mean x²)`: a full-scale sine reads −3.01 dBFS; `-Infinity` for silence. */
  readonly rmsDbfs: number;
  /** `samplePeakDbfs − rmsDbfs` (≥ 0 dB; 3.01 dB for a sine); `null` for silence (undefined). */
  readonly crestFactorDb: number | null;
  /** Mean sample value (signed, linear full scale), the DC offset. */
  readonly dcOffsetLinear: number;
  /** `20·log10(|dcOffsetLinear|)` in dBFS; `-Infinity` when the mean is exactly 0. */
  readonly dcOffsetDbfs: number;
}

/** Result of {@link measureLevels}. */
export interface Levels {
  /** One entry per input channel, in order. */
  readonly channels: readonly ChannelLevels[];
  /** Largest sample peak of any channel, dBFS. */
  readonly samplePeakDbfs: number;
  /** RMS of all channels together (mean square averaged over channels), dBFS. */
  readonly rmsDbfs: number;
  /** Overall `samplePeakDbfs − rmsDbfs`; `null` for silence. */
  readonly crestFactorDb: number | null;
}

/**
 * Sample peak, RMS, crest factor and DC offset, per channel and overall, over the whole of
 * `audio` (unweighted, no gating: see the loudness module for BS.1770 measures).
 *
 * Conventions: dBFS relative to a sample value of 1.0; RMS is `10·log10(mean x²)` with no
 * +3 dB sine correction (so a full-scale sine is −3.01 dBFS RMS, unlike AES17's dBFS);
 * crest factor is peak/RMS in dB. Accumulated in float64; one pass per channel.
 *
 * Edge cases: digital silence and zero-length audio give `-Infinity` peak and RMS and a
 * `null` crest factor (0/0); the DC offset of zero-length audio is 0. Streaming form:
 * `createLevelsMeter` (same values).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for an invalid `PlanarAudio` (see {@link assertPlanarAudio}).
 */
export function measureLevels(audio: PlanarAudio): Levels {
  assertPlanarAudio(audio, 'measureLevels');
  const meter = createLevelsMeter(audio.channels.length);
  meter.push(audio.channels);
  return meter.result();
}
