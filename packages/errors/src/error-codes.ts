/**
 * The one registry of Lacquer's error codes. A code is a stable contract with partners and
 * operators: documented here, never renamed, never reused for another meaning.
 *
 * `httpStatus` is what the REST edge answers; `retryable` is what a worker does with it
 * (retryable → `nak(delay)`, not retryable → `term()` and JobFailed).
 */
export const ERROR_CODES = {
  MEDIA_FFMPEG_MISSING: {
    httpStatus: 500,
    retryable: false,
    description: 'ffmpeg or ffprobe is not installed or not on PATH.',
  },
  MEDIA_NOT_FOUND: { httpStatus: 404, retryable: false, description: 'The input file does not exist.' },
  MEDIA_UNSUPPORTED: {
    httpStatus: 415,
    retryable: false,
    description: 'The file is not audio ffmpeg can read, or has no audio stream.',
  },
  MEDIA_DECODE_FAILED: {
    httpStatus: 422,
    retryable: false,
    description: 'The file is audio but could not be decoded (truncated or corrupt).',
  },
  MEDIA_EMPTY: {
    httpStatus: 422,
    retryable: false,
    description: 'The file decodes to no samples.',
  },
  MEDIA_TOO_LONG: {
    httpStatus: 413,
    retryable: false,
    description: 'The audio is longer than the configured maximum duration.',
  },
  MEDIA_CHANNELS_UNSUPPORTED: {
    httpStatus: 422,
    retryable: false,
    description: 'The channel layout is not one Lacquer masters (mono or stereo).',
  },
  MEDIA_SAMPLE_RATE_UNSUPPORTED: {
    httpStatus: 422,
    retryable: false,
    description: 'The sample rate is outside the supported range (8 kHz to 384 kHz).',
  },
  MEDIA_INVALID_SAMPLES: {
    httpStatus: 422,
    retryable: false,
    description:
      'The audio holds NaN or infinite sample values (decoded from a file, or given to the encoder).',
  },
  MEDIA_INVALID_ARGUMENT: {
    httpStatus: 400,
    retryable: false,
    description:
      'A media call was given an invalid option or audio buffer (channels of different lengths, a block length of 0, an MP3 bit rate that does not exist).',
  },
  MEDIA_ENCODE_FAILED: {
    httpStatus: 500,
    retryable: true,
    description:
      'An output file could not be written (ffmpeg failed, or the file system refused the WAV writer).',
  },
  DSP_INVALID_PARAMETER: {
    httpStatus: 400,
    retryable: false,
    description: 'A processor or measurement was given a parameter outside its valid range.',
  },
  ENGINE_INVALID_TARGET: {
    httpStatus: 400,
    retryable: false,
    description: 'The delivery target is unknown or out of range (LUFS −40…−5, dBTP −9…0).',
  },
  ENGINE_INPUT_TOO_SHORT: {
    httpStatus: 422,
    retryable: false,
    description:
      'The audio is shorter than one 400 ms loudness block (ITU-R BS.1770-4), too short to master.',
  },
  ENGINE_SILENT_INPUT: {
    httpStatus: 422,
    retryable: false,
    description:
      'The audio is digital silence or below the −70 LUFS absolute gate: there is nothing to master.',
  },
  ENGINE_TARGET_NOT_MET: {
    httpStatus: 500,
    retryable: false,
    description: 'The render could not meet the loudness target within tolerance (a defect: report it).',
  },
  CLI_USAGE: { httpStatus: 400, retryable: false, description: 'The command line is incomplete or invalid.' },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; description: string }>;

/** A stable error code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;
