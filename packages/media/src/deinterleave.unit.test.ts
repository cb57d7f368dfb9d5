import { describe, expect, it } from 'vitest';
import { deinterleave } from './deinterleave.ts';
import { interleave } from './interleave.ts';

/** Interleaved frames whose sample values name their frame and channel: frame·10 + channel. */
function labelled(frames: number, channelCount: number): Float32Array {
  const samples = new Float32Array(frames * channelCount);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channelCount; c++) samples[i * channelCount + c] = i * 10 + c;
  return samples;
}

describe('deinterleave', () => {
  it.each([1, 2, 6])(
    'puts frame i of channel c at index offset + i of channel c (%i channels)',
    (channelCount) => {
      const frames = 37;
      const offsetFrames = 5;
      const channels = Array.from(
        { length: channelCount },
        () => new Float32Array(offsetFrames + frames + 3),
      );
      deinterleave(labelled(frames, channelCount), channels, offsetFrames);
      for (let c = 0; c < channelCount; c++) {
        const channel = channels[c]!;
        expect(channel[offsetFrames - 1]).toBe(0); // untouched before the offset
        for (let i = 0; i < frames; i++) expect(channel[offsetFrames + i]).toBe(i * 10 + c);
        expect(channel[offsetFrames + frames]).toBe(0); // untouched after
      }
    },
  );

  it('does nothing with no frames', () => {
    const channels = [new Float32Array(4), new Float32Array(4)];
    deinterleave(new Float32Array(0), channels, 2);
    expect([...channels[0]!, ...channels[1]!].every((v) => v === 0)).toBe(true);
  });
});

describe('interleave', () => {
  it.each([1, 2, 6])('is the inverse of deinterleave, from any start frame (%i channels)', (channelCount) => {
    const frames = 41;
    const original = labelled(frames, channelCount);
    const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
    deinterleave(original, channels, 0);
    const startFrame = 7;
    const output = new Float32Array((frames - startFrame) * channelCount);
    interleave(channels, startFrame, output);
    expect([...output]).toEqual([...original.subarray(startFrame * channelCount)]);
  });
});
