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
  ENGINE_INVALID_OPTION: {
    httpStatus: 400,
    retryable: false,
    description:
      'A mastering option is unknown or out of range (style balanced|warm|bright; intensity and amounts 0…100 %).',
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
  INTERNAL_ERROR: {
    httpStatus: 500,
    retryable: true,
    description:
      'An unexpected error (a defect, or a failure no adapter classified): retried, then the job fails with this code.',
  },
  CONFIG_INVALID: {
    httpStatus: 500,
    retryable: false,
    description:
      'A service was started with missing or invalid environment settings; the message lists each one.',
  },
  EVENT_INVALID: {
    httpStatus: 500,
    retryable: false,
    description:
      'A message on the event stream has an unknown type or a body that does not decode as its type.',
  },
  NATS_UNAVAILABLE: {
    httpStatus: 503,
    retryable: true,
    description: 'NATS JetStream did not answer (connection lost, timeout, or the stream is not ready).',
  },
  BLOB_NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    description:
      'The blob store holds no object under the key (an upload that never arrived, or was removed).',
  },
  BLOB_UNAVAILABLE: {
    httpStatus: 503,
    retryable: true,
    description: 'The blob store failed to read or write (disk or S3 error); trying again may succeed.',
  },
  READ_MODEL_UNAVAILABLE: {
    httpStatus: 503,
    retryable: true,
    description: 'The job read model (JetStream KV or MongoDB) did not answer.',
  },
  AUTH_REQUIRED: {
    httpStatus: 401,
    retryable: false,
    description: 'The request has no valid `Authorization: Bearer <api key>` header.',
  },
  REQUEST_INVALID: {
    httpStatus: 400,
    retryable: false,
    description: 'The request body, query or parameters do not match the documented schema.',
  },
  REQUEST_TOO_LARGE: {
    httpStatus: 413,
    retryable: false,
    description: 'The request body is larger than the route accepts (64 KiB for JSON routes).',
  },
  ROUTE_NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    description: 'No route matches the method and path.',
  },
  JOB_NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    description:
      "No job with this id exists for the calling tenant (other tenants' jobs are not found either).",
  },
  ARTIFACT_NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    description: 'The job has no artifact of this name (yet: artifacts appear when the job completes).',
  },
  UPLOAD_NOT_FOUND: {
    httpStatus: 409,
    retryable: false,
    description:
      'The upload id is unknown to the calling tenant, or its bytes were never PUT to the upload URL.',
  },
  UPLOAD_TYPE_UNSUPPORTED: {
    httpStatus: 415,
    retryable: false,
    description: 'The declared content type or file name is not an audio format Lacquer reads.',
  },
  UPLOAD_TOO_LARGE: {
    httpStatus: 413,
    retryable: false,
    description: 'The upload is larger than the configured maximum size, or than the size declared for it.',
  },
  SIGNED_URL_INVALID: {
    httpStatus: 403,
    retryable: false,
    description: 'The signed URL was altered, or signed with another key.',
  },
  SIGNED_URL_EXPIRED: { httpStatus: 403, retryable: false, description: 'The signed URL has expired.' },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 422,
    retryable: false,
    description: 'The Idempotency-Key was used before with a different request body.',
  },
  UPLOAD_ALREADY_COMPLETED: {
    httpStatus: 409,
    retryable: false,
    description: 'The upload already holds its file; a signed upload URL takes one file, once.',
  },
  TENANT_JOBS_LIMIT: {
    httpStatus: 429,
    retryable: true,
    description:
      'The tenant already has as many jobs queued or processing as it may; retry after one finishes (see Retry-After).',
  },
  JOB_NOT_FAILED: {
    httpStatus: 409,
    retryable: false,
    description: 'Only a failed job can be retried; this one is queued, processing or completed.',
  },
  ADMIN_REQUIRED: {
    httpStatus: 403,
    retryable: false,
    description: 'The route is for operators: it needs the admin API key.',
  },
  STEP_TIMED_OUT: {
    httpStatus: 504,
    retryable: true,
    description:
      'A step ran longer than its time limit (LACQUER_STEP_TIMEOUT_SECONDS); it is retried, then the job fails with this code.',
  },
  STEP_ATTEMPTS_EXHAUSTED: {
    httpStatus: 500,
    retryable: false,
    description:
      'A step was delivered as often as its consumer allows and never finished: its worker died each time (killed, out of memory) or could not record the failure. Reported by the dead-letter reaper.',
  },
  STEP_TERMINATED: {
    httpStatus: 500,
    retryable: false,
    description:
      "A step's message was terminated without a recorded failure. Reported by the dead-letter reaper.",
  },
  CLI_USAGE: { httpStatus: 400, retryable: false, description: 'The command line is incomplete or invalid.' },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; description: string }>;

/** A stable error code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;
