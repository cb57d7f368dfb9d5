import { xorshift32 } from '@lacquer/testing';
import { describe, expect, it } from 'vitest';
import { fftFrameLengthSamples } from './fft-fir-filter.ts';
import { createLinearPhaseFirStream, type LinearPhaseFirStream } from './linear-phase-fir-stream.ts';
import { applyFirInPlace, applyMidSideFirInPlace } from './mid-side-fir.ts';
import { randomSignal, randomSymmetricTaps } from './test-support/fir-reference.ts';

/** Streams `channels` through `stream` in blocks of random lengths, latency dropped, flushed. */
function streamed(stream: LinearPhaseFirStream, channels: Float32Array[], seed: number): Float32Array[] {
  const random = xorshift32(seed);
  const length = channels[0]!.length;
  const latency = stream.latencySamples;
  const out = channels.map(() => new Float32Array(length + latency));
  for (let start = 0; start < length; ) {
    const end = Math.min(length, start + 1 + Math.floor(random() * 3000));
    const block = channels.map((x) => x.slice(start, end));
    stream.process(block, block); // in place
    block.forEach((b, c) => {
      out[c]!.set(b, start);
    });
    start = end;
  }
  const tail = channels.map(() => new Float32Array(latency));
  stream.flush(tail);
  tail.forEach((t, c) => {
    out[c]!.set(t, length);
  });
  return out.map((o) => o.subarray(latency));
}

function unitImpulse(lengthSamples: number): Float32Array {
  const taps = new Float32Array(lengthSamples);
  taps[(lengthSamples - 1) / 2] = 1;
  return taps;
}

describe('createLinearPhaseFirStream', () => {
  for (const tapsLength of [31, 257]) {
    const hop = fftFrameLengthSamples(tapsLength) - tapsLength + 1;
    for (const length of [1, 100, hop - 1, hop, 3 * hop + 17]) {
      it(`differential: ${tapsLength} taps, ${length} frames equal applyMidSideFirInPlace and applyFirInPlace bit for bit`, () => {
        const mid = randomSymmetricTaps(tapsLength, 1);
        const side = randomSymmetricTaps(tapsLength, 2);
        const left = randomSignal(length, 3);
        const right = randomSignal(length, 4);
        const expectedLeft = left.slice();
        const expectedRight = right.slice();
        applyMidSideFirInPlace(expectedLeft, expectedRight, mid, side);
        const stereo = streamed(
          createLinearPhaseFirStream({ midTaps: mid, sideTaps: side, lengthSamples: length }),
          [left, right],
          length,
        );
        expect(stereo[0]).toEqual(expectedLeft);
        expect(stereo[1]).toEqual(expectedRight);

        const expectedMono = left.slice();
        applyFirInPlace(expectedMono, mid);
        const [mono] = streamed(
          createLinearPhaseFirStream({ midTaps: mid, lengthSamples: length }),
          [left],
          7,
        );
        expect(mono).toEqual(expectedMono);
      });
    }
  }

  it('property: unit impulses pass the samples through untouched, without delay', () => {
    const stream = createLinearPhaseFirStream({
      midTaps: unitImpulse(31),
      sideTaps: unitImpulse(31),
      lengthSamples: 1000,
    });
    expect(stream.latencySamples).toBe(0);
    const left = randomSignal(1000, 5);
    const right = randomSignal(1000, 6);
    expect(streamed(stream, [left, right], 8)).toEqual([left, right]);
  });

  it('rejects asymmetric taps and side taps of another length', () => {
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    expect(() =>
      createLinearPhaseFirStream({ midTaps: new Float32Array([1, 2, 3]), lengthSamples: 10 }),
    ).toThrow(invalid);
    expect(() =>
      createLinearPhaseFirStream({ midTaps: unitImpulse(5), sideTaps: unitImpulse(7), lengthSamples: 10 }),
    ).toThrow(invalid);
  });
});
