/**
 * Frames a file's container counts that its decoder may not return: encoder delay and padding
 * (MP3: LAME's 576 + 529 samples of delay and up to 1152 of padding, which a Xing/LAME header's
 * duration includes; AAC: 1024–2112 of priming; Opus: 312 of pre-skip at 48 kHz). 4096 covers
 * them all at any rate, and is 93 ms at 44.1 kHz: shorter cuts than that go unnoticed by the
 * length check (ffmpeg's `-xerror` still catches a cut inside a frame).
 */
export const DECLARED_LENGTH_SLACK_FRAMES = 4096;

/** The length a decode must reach, from what the file declares. */
export interface DeclaredLength {
  /** Frames declared. */
  readonly frames: number;
  /** Frames the decode may fall short of `frames` by without counting as truncated. */
  readonly toleranceFrames: number;
  /** Where the figure comes from. */
  readonly source: 'wav-data-chunk' | 'stream-duration';
}

/** What {@link declaredLength} weighs. */
export interface DeclaredLengthFacts {
  /** ffmpeg's decoder name (`pcm_s16le`, `flac`, `mp3`). */
  readonly codecName: string;
  /** Sample rate of the stream in Hz. */
  readonly sampleRateHz: number;
  /** The audio stream's own duration from ffprobe (not the container's). */
  readonly streamDurationSeconds: number | undefined;
  /** ffmpeg said it estimated the duration from the bit rate (MP3 without a Xing header, ADTS AAC). */
  readonly durationEstimated: boolean;
  /** Declared `data` chunk length of a WAV file, `undefined` when unknown or not a WAV. */
  readonly wavDataBytes: number | undefined;
  /** Bytes per frame of a WAV file. */
  readonly wavBlockAlignBytes: number | undefined;
}

/**
 * The length a complete decode of the file reaches, when the file declares it in a way that can
 * be trusted; `undefined` when it does not (Ogg, whose duration is its last granule so a cut
 * file declares its cut length; MP3 without a Xing header, whose duration ffmpeg estimates;
 * streamed WAV of unknown length; Matroska, whose audio stream has no duration of its own).
 *
 * - PCM in WAV: `data` size / block align, exactly (tolerance 0): the one declaration that
 *   catches a WAV cut on a frame boundary, which ffmpeg reads without complaint.
 * - Otherwise the audio stream's duration, less {@link DECLARED_LENGTH_SLACK_FRAMES}.
 */
export function declaredLength(facts: DeclaredLengthFacts): DeclaredLength | undefined {
  const { wavDataBytes, wavBlockAlignBytes } = facts;
  if (facts.codecName.startsWith('pcm_') && wavDataBytes !== undefined && wavBlockAlignBytes !== undefined) {
    return {
      frames: Math.floor(wavDataBytes / wavBlockAlignBytes),
      toleranceFrames: 0,
      source: 'wav-data-chunk',
    };
  }
  if (facts.streamDurationSeconds === undefined || facts.durationEstimated) return undefined;
  return {
    frames: Math.round(facts.streamDurationSeconds * facts.sampleRateHz),
    toleranceFrames: DECLARED_LENGTH_SLACK_FRAMES,
    source: 'stream-duration',
  };
}
