import { measureTonalBalance, type TonalBalance } from '@lacquer/dsp';
import { decodeAudio } from '@lacquer/media';
import { ffmpegLoudness } from '@lacquer/testing/ffmpeg-meter';

/** What the report measures on a file: loudness by ffmpeg's meter, clipping and tone by decoding it. */
export interface AudioMeasures {
  /** ffmpeg `ebur128=peak=true`, ITU-R BS.1770-4 gated. */
  readonly integratedLufs: number;
  /** ffmpeg's 4× oversampled true peak, dBTP. */
  readonly truePeakDbtp: number;
  /** EBU Tech 3342, by ffmpeg. */
  readonly loudnessRangeLu: number;
  /** Peak-to-loudness ratio: true peak − integrated loudness, dB. */
  readonly plrDb: number;
  /** Samples (over all channels) with |x| ≥ 1.0 once decoded to float. */
  readonly clippedSamples: number;
  /** Third-octave balance relative to the integrated loudness (`measureTonalBalance`). */
  readonly tonalBalance: TonalBalance;
}

/** Full scale: a decoded float sample at or beyond it would clip in any integer format. */
const FULL_SCALE_LINEAR = 1;

/** Samples of `channels` at or beyond full scale. */
function countClipped(channels: readonly Float32Array[]): number {
  let clipped = 0;
  for (const channel of channels) {
    for (const x of channel) if (Math.abs(x) >= FULL_SCALE_LINEAR) clipped++;
  }
  return clipped;
}

/**
 * Measures the file at `path`: ffmpeg's meter first, then one decode for the clipped samples
 * and the tonal balance (the decoded audio is dropped before this resolves).
 */
export async function measureAudio(path: string): Promise<AudioMeasures> {
  const loudness = await ffmpegLoudness(path);
  const audio = await decodeAudio(path);
  return {
    integratedLufs: loudness.integratedLufs,
    truePeakDbtp: loudness.truePeakDbtp,
    loudnessRangeLu: loudness.loudnessRangeLu,
    plrDb: loudness.truePeakDbtp - loudness.integratedLufs,
    clippedSamples: countClipped(audio.channels),
    tonalBalance: measureTonalBalance(audio),
  };
}

/** {@link measureTonalBalance} of inputs and references, each file decoded once. */
export interface TonalBalances {
  of(path: string): Promise<TonalBalance>;
}

/** A {@link TonalBalances} that keeps every balance it measured (they are small: 28 numbers). */
export function createTonalBalances(): TonalBalances {
  const measured = new Map<string, Promise<TonalBalance>>();
  return {
    of(path) {
      let balance = measured.get(path);
      if (balance === undefined) {
        balance = decodeAudio(path).then(measureTonalBalance);
        measured.set(path, balance);
      }
      return balance;
    },
  };
}
