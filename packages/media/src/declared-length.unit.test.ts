import { describe, expect, it } from 'vitest';
import { DECLARED_LENGTH_SLACK_FRAMES, type DeclaredLengthFacts, declaredLength } from './declared-length.ts';

const base: DeclaredLengthFacts = {
  codecName: 'flac',
  sampleRateHz: 44_100,
  streamDurationSeconds: 15,
  durationEstimated: false,
  wavDataBytes: undefined,
  wavBlockAlignBytes: undefined,
};

describe('declaredLength', () => {
  it('takes a PCM WAV length exactly from its data chunk', () => {
    const declared = declaredLength({
      ...base,
      codecName: 'pcm_s24le',
      wavDataBytes: 6 * 1000 + 5,
      wavBlockAlignBytes: 6,
    });
    expect(declared).toEqual({ frames: 1000, toleranceFrames: 0, source: 'wav-data-chunk' });
  });

  it('takes the stream duration less the encoder-delay slack otherwise', () => {
    expect(declaredLength(base)).toEqual({
      frames: 661_500,
      toleranceFrames: DECLARED_LENGTH_SLACK_FRAMES,
      source: 'stream-duration',
    });
  });

  it('trusts no duration that ffmpeg estimated from the bit rate', () => {
    expect(declaredLength({ ...base, codecName: 'mp3', durationEstimated: true })).toBeUndefined();
  });

  it('has nothing to go by without a stream duration (streamed WAV, Matroska)', () => {
    expect(
      declaredLength({ ...base, codecName: 'pcm_s16le', streamDurationSeconds: undefined }),
    ).toBeUndefined();
  });
});
