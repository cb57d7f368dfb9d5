/**
 * Mean square of `lengthSamples` frames from `startSample`, over all channels (power-averaged,
 * unwindowed): the level the activity gates of the spectrum features compare, `10·log10` of
 * it in dBFS (a 0 dBFS sine reads −3.01). `lengthSamples > 0`, the range inside every channel.
 */
export function frameMeanSquare(
  channels: readonly Float32Array[],
  startSample: number,
  lengthSamples: number,
): number {
  let sum = 0;
  for (const channel of channels) {
    for (let n = startSample; n < startSample + lengthSamples; n++) {
      const x = channel[n]!;
      sum += x * x;
    }
  }
  return sum / (lengthSamples * channels.length);
}
