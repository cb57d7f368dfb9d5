import type { PlanarAudio } from '@lacquer/dsp';

/**
 * Test signals of EBU Tech 3341 (v4, 2016) §2.9 Table 1 and EBU Tech 3342 (v4, 2016) §4,
 * synthesized from their descriptions so that the spec tests run without the EBU files.
 */

/** `[durationSeconds, peakDbfs]` of a 1 kHz sine; `null` level = digital silence. */
export type ToneSegment = readonly [durationSeconds: number, peakDbfs: number | null];

/** A 1 kHz sine whose level steps through `segments` (continuous phase), one channel. */
export function toneSegments(sampleRateHz: number, segments: readonly ToneSegment[]): Float32Array {
  const total = segments.reduce((sum, [seconds]) => sum + Math.round(seconds * sampleRateHz), 0);
  const out = new Float32Array(total);
  const step = (2 * Math.PI * 1000) / sampleRateHz;
  let n = 0;
  for (const [seconds, peakDbfs] of segments) {
    const end = n + Math.round(seconds * sampleRateHz);
    const amplitude = peakDbfs === null ? 0 : 10 ** (peakDbfs / 20);
    for (; n < end; n++) out[n] = amplitude * Math.sin(step * n);
  }
  return out;
}

/** The same signal in both channels of a stereo programme. */
export function stereoOf(channel: Float32Array, sampleRateHz: number): PlanarAudio {
  return { sampleRateHz, channels: [channel, channel.slice()] };
}

/**
 * Tech 3341 cases 15–19: a sine at `sampleRateHz / divisor` with the given start phase and
 * peak, 3.2 s with 10 ms linear fades — sampled so that its samples miss the true peak.
 */
export function truePeakSine(
  sampleRateHz: number,
  divisor: number,
  phaseDegrees: number,
  peakDbfs: number,
): Float32Array {
  const length = Math.round(3.2 * sampleRateHz);
  const fade = Math.round(0.01 * sampleRateHz);
  const amplitude = 10 ** (peakDbfs / 20);
  const phase = (phaseDegrees * Math.PI) / 180;
  const out = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    const ramp = Math.min(1, n / fade, (length - 1 - n) / fade);
    out[n] = ramp * amplitude * Math.sin((2 * Math.PI * n) / divisor + phase);
  }
  return out;
}
