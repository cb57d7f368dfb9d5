import { xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { PCM_BYTES_PER_SAMPLE, type PcmEncoding, pcmToPlanar } from './pcm-to-planar.ts';
import { bitMismatches } from './test-support/bit-mismatches.ts';
import { randomPcm } from './test-support/random-pcm.ts';

const ENCODINGS: readonly PcmEncoding[] = ['u8', 's16', 's24', 's32', 'f32', 'f64'];

/** Planar float32 of `frames` frames of `bytes` through `pcmToPlanar`, into fresh channels. */
function convert(bytes: Uint8Array, encoding: PcmEncoding, channelCount: number): Float32Array[] {
  const frames = bytes.length / (channelCount * PCM_BYTES_PER_SAMPLE[encoding]);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  pcmToPlanar(bytes, encoding, frames, channels, 0);
  return channels;
}

/** Aligned bytes (own ArrayBuffer) of `values`, one little-endian sample each, through DataView. */
function encode(encoding: PcmEncoding, values: readonly number[]): Uint8Array {
  const size = PCM_BYTES_PER_SAMPLE[encoding];
  const view = new DataView(new ArrayBuffer(values.length * size + 8));
  values.forEach((value, i) => {
    const at = i * size;
    if (encoding === 'u8') view.setUint8(at, value);
    else if (encoding === 's16') view.setInt16(at, value, true);
    else if (encoding === 's24') {
      view.setUint16(at, value & 0xffff, true);
      view.setInt8(at + 2, value >> 16);
    } else if (encoding === 's32') view.setInt32(at, value, true);
    else if (encoding === 'f32') view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
  });
  return new Uint8Array(view.buffer, 0, values.length * size);
}

/**
 * The reference decoder: one sample at a time through DataView and the formulas of ffmpeg's
 * `pcm.c` and libswresample `audioconvert.c` written out (double arithmetic, then
 * `Math.fround`, which rounds to nearest even as C's float conversion does).
 */
function reference(bytes: Uint8Array, encoding: PcmEncoding, channelCount: number): Float32Array[] {
  const size = PCM_BYTES_PER_SAMPLE[encoding];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const frames = bytes.length / (size * channelCount);
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++) {
      const at = (i * channelCount + c) * size;
      const value =
        encoding === 'u8'
          ? (view.getUint8(at) - 128) / 128
          : encoding === 's16'
            ? view.getInt16(at, true) / 32_768
            : encoding === 's24'
              ? (view.getUint16(at, true) + view.getInt8(at + 2) * 65_536) / 8_388_608
              : encoding === 's32'
                ? view.getInt32(at, true) / 2_147_483_648
                : encoding === 'f32'
                  ? view.getFloat32(at, true)
                  : view.getFloat64(at, true);
      channels[c]![i] = Math.fround(value);
    }
  }
  return channels;
}

describe('pcmToPlanar', () => {
  // spec: the values ffmpeg gives at the edges of each format (pcm.c, audioconvert.c)
  it.each<[PcmEncoding, number[], number[]]>([
    ['u8', [0, 128, 255, 1], [-1, 0, 127 / 128, -127 / 128]],
    ['s16', [-32_768, 0, 32_767, -1], [-1, 0, 32_767 / 32_768, -1 / 32_768]],
    ['s24', [-8_388_608, 0, 8_388_607, -1], [-1, 0, 8_388_607 / 8_388_608, -1 / 8_388_608]],
    // float32 has 24 bits: from 2^30 on, steps of 128, ties to even.
    ['s32', [2_147_483_647, -2_147_483_648, 0x4000_0040, 0x4000_00c0], [1, -1, 0.5, 0.5 + 2 ** -23]],
    ['f32', [1.5, -0, 2 ** -149, -3.4028234663852886e38], [1.5, -0, 2 ** -149, -3.4028234663852886e38]],
    // 1 + 2^-24 is the tie between 1 and 1 + 2^-23: to even, 1; beyond float32's range: ±Infinity.
    [
      'f64',
      [1 + 2 ** -24, 1 + 3 * 2 ** -24, 1e39, -1e39, 2 ** -140],
      [1, 1 + 2 ** -22, Infinity, -Infinity, 2 ** -140],
    ],
  ])('%s: ffmpeg’s values at the edges', (encoding, values, expected) => {
    // Bit for bit (−0 is not 0): the conversion is exact by definition, there is no tolerance.
    expect(bitMismatches(convert(encode(encoding, values), encoding, 1), [Float32Array.from(expected)])).toBe(
      0,
    );
  });

  // differential: against the DataView reference, every encoding and channel count
  it.each(
    ENCODINGS.flatMap((encoding) => [1, 2, 3, 6].map((channelCount) => [encoding, channelCount] as const)),
  )('%s × %i channels: the reference’s samples, bit for bit', (encoding, channelCount) => {
    const bytes = randomPcm(encoding, channelCount * 1027, channelCount * 7 + encoding.length);
    expect(
      bitMismatches(convert(bytes, encoding, channelCount), reference(bytes, encoding, channelCount)),
    ).toBe(0);
  });

  // property: converting in pieces, from any aligned offset, into any frame offset, is converting at once
  it.each(
    ENCODINGS.flatMap((encoding) => [1, 2, 5].map((channelCount) => [encoding, channelCount] as const)),
  )('%s × %i channels: pieces of any size give the whole conversion', (encoding, channelCount) => {
    const frames = 999;
    const frameBytes = channelCount * PCM_BYTES_PER_SAMPLE[encoding];
    const bytes = randomPcm(encoding, channelCount * frames, 99);
    const whole = convert(bytes, encoding, channelCount);
    const next = xorshift32(3);
    const pieces = Array.from({ length: channelCount }, () => new Float32Array(frames + 10));
    for (let start = 0; start < frames; ) {
      const length = Math.min(frames - start, 1 + Math.floor(next() * 13));
      pcmToPlanar(bytes.subarray(start * frameBytes), encoding, length, pieces, start + 10);
      start += length;
    }
    expect(
      bitMismatches(
        pieces.map((channel) => channel.subarray(10)),
        whole,
      ),
    ).toBe(0);
  });

  it('24-bit from a source at any byte offset (the word path aligns itself)', () => {
    for (const channelCount of [1, 2]) {
      for (let shift = 0; shift < 4; shift++) {
        const bytes = randomPcm('s24', channelCount * 101, shift + 1);
        const shifted = new Uint8Array(new ArrayBuffer(bytes.length + 4), shift, bytes.length);
        shifted.set(bytes);
        expect(
          bitMismatches(convert(shifted, 's24', channelCount), reference(bytes, 's24', channelCount)),
        ).toBe(0);
      }
    }
  });

  it.each<[PcmEncoding, number, boolean]>([
    ['f32', 0.5, true],
    ['f32', Number.NaN, false],
    ['f32', Number.NEGATIVE_INFINITY, false],
    ['f64', 3.4e38, true],
    ['f64', 1e39, false], // finite as float64, Infinity as float32
    ['f64', Number.NaN, false],
    ['s32', -2_147_483_648, true],
  ])('%s holding %d: finite %s', (encoding, value, finite) => {
    for (const channelCount of [1, 2, 3]) {
      const values = Array.from({ length: channelCount * 9 }, (_, i) =>
        i === channelCount * 5 - 1 ? value : 0,
      );
      const bytes = encode(encoding, values);
      const channels = Array.from({ length: channelCount }, () => new Float32Array(9));
      expect(pcmToPlanar(bytes, encoding, 9, channels, 0)).toBe(finite);
    }
  });

  it('writes only the frames it is given, from offsetFrames', () => {
    const channels = [new Float32Array(6).fill(9), new Float32Array(6).fill(9)];
    pcmToPlanar(encode('s16', [16_384, -16_384, 8192, -8192]), 's16', 2, channels, 3);
    const expected = [
      [9, 9, 9, 0.5, 0.25, 9],
      [9, 9, 9, -0.5, -0.25, 9],
    ];
    expect(
      bitMismatches(
        channels,
        expected.map((values) => Float32Array.from(values)),
      ),
    ).toBe(0);
  });
});
