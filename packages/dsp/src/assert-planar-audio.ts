import { LacquerError } from '@lacquer/errors';
import type { PlanarAudio } from './planar-audio.ts';

/**
 * Boundary check shared by the analysis features: a finite, positive `sampleRateHz`, at
 * least one channel, every channel the same length. Zero-length audio is valid (each feature
 * documents what it reads for it).
 *
 * @param what - the feature's name, for the message and `details.feature`.
 * @throws LacquerError `DSP_INVALID_PARAMETER` when a condition does not hold.
 */
export function assertPlanarAudio(audio: PlanarAudio, what: string): void {
  const { sampleRateHz, channels } = audio;
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz > 0)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `${what}: sampleRateHz must be finite and positive`, {
      details: { feature: what, sampleRateHz },
    });
  }
  const lengthSamples = channels[0]?.length;
  if (lengthSamples === undefined) {
    throw new LacquerError('DSP_INVALID_PARAMETER', `${what}: audio has no channels`, {
      details: { feature: what, channelCount: 0 },
    });
  }
  for (const channel of channels) {
    if (channel.length !== lengthSamples) {
      throw new LacquerError('DSP_INVALID_PARAMETER', `${what}: channels differ in length`, {
        details: { feature: what, lengthsSamples: channels.map((c) => c.length) },
      });
    }
  }
}

/**
 * Throws `DSP_INVALID_PARAMETER` naming `parameter` unless `valid` holds; for option checks
 * at a feature's entry (never per sample).
 */
export function assertParameter(valid: boolean, what: string, parameter: string, value: unknown): void {
  if (!valid) {
    throw new LacquerError(
      'DSP_INVALID_PARAMETER',
      `${what}: ${parameter} is out of range (${String(value)})`,
      {
        details: { feature: what, parameter, value },
      },
    );
  }
}
