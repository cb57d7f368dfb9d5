import { whiteNoise } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { roundTo24BitGrid, writeFloat32, writePcm16, writePcm24 } from './pcm-bytes.ts';

/** 2^23: steps per unit of the 24-bit grid. */
const STEPS_24 = 8_388_608;

/**
 * The reference: the 24-bit step the ffmpeg path wrote before Lacquer wrote WAV itself
 * (`Math.round`, ties toward +∞, saturated), as a plain function of one sample.
 */
function referenceStep24(sample: number): number {
  const step = Math.round(sample * STEPS_24);
  return Math.min(STEPS_24 - 1, Math.max(-STEPS_24, step));
}

/** Interleaved 24-bit LE bytes of `channels`, one `DataView` store per byte: the slow, obvious way. */
function referencePcm24(channels: readonly Float32Array[], start: number, length: number): Buffer {
  const out = Buffer.alloc(length * channels.length * 3);
  for (let i = 0; i < length; i++) {
    channels.forEach((channel, c) => {
      out.writeIntLE(referenceStep24(channel[start + i]!), (i * channels.length + c) * 3, 3);
    });
  }
  return out;
}

/**
 * Hard cases of rounding to 24 bits: exact ties (k + ½ steps, both signs), the float32 values
 * either side of them, full scale and beyond, the smallest magnitudes, −0.
 */
function edgeSamples(): Float32Array {
  const values: number[] = [0, -0, 1, -1, 1.5, -1.5, 2 ** -149, -(2 ** -149), 1 - 2 ** -24, -1 + 2 ** -24];
  for (const k of [0, 1, 2, 3, 1000, 4_194_303, 4_194_304, 8_388_606, -1, -2, -1001, -8_388_607]) {
    const tie = Math.fround((k + 0.5) / STEPS_24);
    values.push(tie, -tie);
    const below = new Float32Array([tie]);
    const bits = new Uint32Array(below.buffer);
    bits[0] = bits[0]! - 1; // the next float32 toward 0
    values.push(below[0]!, -below[0]!);
    bits[0] = bits[0]! + 2; // the next float32 away from 0
    values.push(below[0]!, -below[0]!);
  }
  return new Float32Array(values);
}

/**
 * `count` seeded noise samples spread over every magnitude that matters: white noise at RMS
 * levels from +3 dBFS (beyond full scale, to saturate) down to −150 dBFS (below 1 LSB).
 */
function randomSamples(count: number, seed: number): Float32Array {
  const levelsDbfs = [3, -6, -40, -100, -140, -150];
  const samples = new Float32Array(count);
  levelsDbfs.forEach((rmsDbfs, l) => {
    const from = Math.floor((l * count) / levelsDbfs.length);
    const to = Math.floor(((l + 1) * count) / levelsDbfs.length);
    const noise = whiteNoise({
      sampleRateHz: 1,
      durationSeconds: to - from,
      rmsDbfs,
      seed: seed * 8 + l,
      channelCount: 1,
    });
    samples.set(noise.channels[0]!, from);
  });
  return samples;
}

function randomChannels(channelCount: number, lengthSamples: number): Float32Array[] {
  return Array.from({ length: channelCount }, (_, c) => randomSamples(lengthSamples, 40 + c));
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

describe('writePcm24 (property: equals Math.round to the 24-bit grid, byte for byte)', () => {
  it.each([1, 2, 3, 6, 8])(
    '%i channel(s): edge values and random bit patterns, any start and length',
    (n) => {
      const edges = edgeSamples();
      const channels = Array.from({ length: n }, (_, c) => {
        const channel = new Float32Array(edges.length + 4097);
        channel.set(edges, c % 3); // edges in different frames per channel
        channel.set(randomSamples(4097 - (c % 3), c + 1), edges.length + (c % 3));
        return channel;
      });
      // lengths around the 4-sample packing of mono and the 2-frame packing of stereo
      for (const [start, length] of [
        [0, channels[0]!.length],
        [1, 1],
        [3, 2],
        [5, 7],
        [2, 4098],
      ] as const) {
        const out = Buffer.alloc(length * n * 3);
        writePcm24(channels, start, length, viewOf(out));
        expect(out.equals(referencePcm24(channels, start, length))).toBe(true);
      }
    },
  );

  it('writes only its bytes: the rest of the target is untouched', () => {
    const channels = [new Float32Array([0.25, -0.25, 0.5]), new Float32Array([0.75, -0.75, -1])];
    const out = Buffer.alloc(3 * 6 + 5, 0xee);
    writePcm24(channels, 0, 3, viewOf(out));
    expect(out.subarray(18).every((byte) => byte === 0xee)).toBe(true);
  });

  it('roundTo24BitGrid gives the same steps, as floats', () => {
    const samples = new Float32Array([...edgeSamples(), ...randomSamples(10_000, 9)]);
    const rounded = samples.slice();
    roundTo24BitGrid(rounded);
    const mismatches = samples.filter((v, i) => rounded[i] !== referenceStep24(v) / STEPS_24);
    expect(mismatches).toEqual(new Float32Array(0));
  });
});

describe('writePcm16', () => {
  it.each([1, 2, 6])('%i channel(s): grid values are written exactly, full scale included', (n) => {
    const steps = [-32_768, -1, 0, 1, 32_767];
    const channels = randomChannels(n, 1001).map((channel) =>
      channel.map(
        (v, i) => (steps[i] ?? Math.max(-32_768, Math.min(32_767, Math.round(v * 32_768)))) / 32_768,
      ),
    );
    const out = Buffer.alloc(1000 * n * 2);
    writePcm16(channels, 1, 1000, viewOf(out));
    const expected = Buffer.alloc(out.length);
    for (let i = 0; i < 1000; i++) {
      for (let c = 0; c < n; c++) expected.writeInt16LE(channels[c]![i + 1]! * 32_768, (i * n + c) * 2);
    }
    expect(out.equals(expected)).toBe(true);
  });
});

describe('writeFloat32', () => {
  it.each([1, 2, 6])('%i channel(s): every bit pattern kept (over full scale, −0, subnormals)', (n) => {
    const channels = randomChannels(n, 999);
    channels[0]!.set([1.5, -0, 2 ** -149, -3.25]);
    const out = Buffer.alloc(998 * n * 4);
    writeFloat32(channels, 1, 998, viewOf(out));
    const expected = Buffer.alloc(out.length);
    for (let i = 0; i < 998; i++) {
      for (let c = 0; c < n; c++) expected.writeFloatLE(channels[c]![i + 1]!, (i * n + c) * 4);
    }
    expect(out.equals(expected)).toBe(true);
  });
});
