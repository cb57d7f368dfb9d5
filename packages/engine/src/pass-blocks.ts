/** About how many frames the long-programme passes read at a time: 1.5 s at 44.1 kHz. */
const BLOCK_TARGET_SAMPLES = 65_536;

/**
 * Frames per block of the long-programme passes: about 65536, rounded down to whole 10 ms
 * loudness hops (65268 at 44.1 kHz), so that each hop's K-weighted energy is summed in one
 * piece, as over a whole programme in memory, and the figures agree bit for bit.
 */
export function passBlockLengthSamples(sampleRateHz: number): number {
  const hopLengthSamples = Math.round(sampleRateHz / 100);
  return Math.max(1, Math.floor(BLOCK_TARGET_SAMPLES / hopLengthSamples)) * hopLengthSamples;
}
