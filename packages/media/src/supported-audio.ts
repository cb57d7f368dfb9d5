import { LacquerError } from '@lacquer/errors';
import type { AudioProbe } from './probe-audio.ts';

/** Lowest sample rate Lacquer accepts, Hz (the `MEDIA_SAMPLE_RATE_UNSUPPORTED` range). */
export const MIN_SAMPLE_RATE_HZ = 8000;
/** Highest sample rate Lacquer accepts, Hz (the `MEDIA_SAMPLE_RATE_UNSUPPORTED` range). */
export const MAX_SAMPLE_RATE_HZ = 384_000;
/** Most channels Lacquer masters: mono or stereo. */
export const MAX_CHANNEL_COUNT = 2;

/**
 * The checks a worker makes on a probed file before it decodes anything: Lacquer masters mono
 * or stereo at 8 kHz to 384 kHz (the ranges `MEDIA_CHANNELS_UNSUPPORTED` and
 * `MEDIA_SAMPLE_RATE_UNSUPPORTED` document). The duration is not checked here: the decoder
 * fails with `MEDIA_TOO_LONG` before decoding when the file declares its duration (a WAV's
 * header, a FLAC's STREAMINFO, an MP3's Xing header), and while decoding otherwise, which an
 * estimate from the bit rate (all a probe has for some MP3s) could not do reliably.
 *
 * @param probe what `probeAudio` found.
 * @throws LacquerError `MEDIA_CHANNELS_UNSUPPORTED` (`details.channelCount`) for more than 2
 *   channels; `MEDIA_SAMPLE_RATE_UNSUPPORTED` (`details.sampleRateHz`) outside the range.
 */
export function assertSupportedAudio(probe: Pick<AudioProbe, 'channelCount' | 'sampleRateHz'>): void {
  const { channelCount, sampleRateHz } = probe;
  if (channelCount > MAX_CHANNEL_COUNT) {
    throw new LacquerError(
      'MEDIA_CHANNELS_UNSUPPORTED',
      `Lacquer masters mono or stereo mixes; this one has ${channelCount} channels (downmix it to stereo first)`,
      { details: { channelCount } },
    );
  }
  if (!(sampleRateHz >= MIN_SAMPLE_RATE_HZ && sampleRateHz <= MAX_SAMPLE_RATE_HZ)) {
    throw new LacquerError(
      'MEDIA_SAMPLE_RATE_UNSUPPORTED',
      `Lacquer works at ${MIN_SAMPLE_RATE_HZ} Hz to ${MAX_SAMPLE_RATE_HZ} Hz; this file is at ${sampleRateHz} Hz`,
      { details: { sampleRateHz, minSampleRateHz: MIN_SAMPLE_RATE_HZ, maxSampleRateHz: MAX_SAMPLE_RATE_HZ } },
    );
  }
}
