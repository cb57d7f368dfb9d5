import { DELIVERY_PRESETS, TARGET_CEILING_RANGE_DBTP, TARGET_LOUDNESS_RANGE_LUFS } from '@lacquer/engine';
import { PROBLEM_CONTENT_TYPE } from '@lacquer/errors';
import { ARTIFACT_NAMES } from '@lacquer/runtime';
import { type TSchema, Type } from 'typebox';

// The route schemas (JSON Schema through TypeBox): fastify validates requests and serializes
// responses with them (a response never holds a field its schema does not name), and
// @fastify/swagger turns them into the OpenAPI 3.1 document.

/** Ids the platform mints (upload and job ids): letters, digits, `-` and `_`. */
const Id = (description: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]{1,128}$',
    description,
    examples: ['0196f3a2-7c1e-7d3b-9a55-3f1c2b4d5e6f'],
  });

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      format: 'uri',
      description: 'Documents the code: https://lacquer.dev/problems/<code>.',
    }),
    title: Type.String({ description: 'The HTTP status text.' }),
    status: Type.Integer({ description: 'The HTTP status.' }),
    code: Type.String({ description: 'The stable error code (see the list in the API description).' }),
    detail: Type.String({ description: 'What went wrong with this request.' }),
  },
  { $id: 'Problem', title: 'Problem', description: 'An error (RFC 9457 problem details).' },
);

/** A response of problems, documented as `application/problem+json`. */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: Type.Ref('Problem') } } };
}

export const CreateUploadBodySchema = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255, description: 'With an audio extension.' }),
    contentType: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'An audio media type, e.g. audio/wav.',
    }),
    sizeBytes: Type.Integer({ minimum: 1, description: 'The size of the file to upload, bytes.' }),
  },
  { additionalProperties: false },
);

export const SignedUploadSchema = Type.Object({
  uploadId: Id('Names the upload in POST /v1/jobs.'),
  uploadUrl: Type.String({
    format: 'uri',
    description: 'PUT the bytes here, with `headers`, before `expiresAt`.',
  }),
  method: Type.Literal('PUT'),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Send exactly these headers.' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

const UploadRefSchema = Type.Object(
  { uploadId: Id('An upload id from POST /v1/uploads.') },
  { additionalProperties: false },
);

const Percent = (description: string) =>
  Type.Optional(Type.Number({ minimum: 0, maximum: 100, description }));

const ReferenceSchema = Type.Object(
  {
    uploadId: Id('An upload id from POST /v1/uploads: a finished track to match.'),
    tonePercent: Percent(
      'How much of its tonal balance to match (mid/side linear-phase EQ), 0 … 100 (default 100).',
    ),
    widthPercent: Percent('How much of its stereo width to match, 0 … 100 (default 100).'),
    densityPercent: Percent(
      'How much of its density (peak-to-loudness ratio) to match, 0 … 100 (default 100). The loudness is always the target’s.',
    ),
  },
  { additionalProperties: false, title: 'Reference' },
);

// The target's ranges and preset names are checked by the engine's `resolveTarget`, so that a
// bad target answers its own code (400 ENGINE_INVALID_TARGET); the schema documents them.
const PresetTargetSchema = Type.Object(
  {
    preset: Type.String({
      minLength: 1,
      maxLength: 64,
      description: `A delivery preset: ${Object.keys(DELIVERY_PRESETS).join(', ')}.`,
      examples: Object.keys(DELIVERY_PRESETS),
    }),
  },
  { additionalProperties: false, title: 'PresetTarget' },
);

const CustomTargetSchema = Type.Object(
  {
    integratedLufs: Type.Number({
      description: `Integrated loudness, LUFS (ITU-R BS.1770-4), ${TARGET_LOUDNESS_RANGE_LUFS.join(' … ')}.`,
      examples: [-14],
    }),
    truePeakDbtp: Type.Number({
      description: `True-peak ceiling, dBTP, ${TARGET_CEILING_RANGE_DBTP.join(' … ')}.`,
      examples: [-1],
    }),
  },
  { additionalProperties: false, title: 'CustomTarget' },
);

export const CreateJobBodySchema = Type.Object(
  {
    input: UploadRefSchema,
    reference: Type.Optional(ReferenceSchema),
    target: Type.Optional(
      Type.Union([PresetTargetSchema, CustomTargetSchema], {
        description:
          'A preset, or figures of your own; the default is the spotify preset (−14 LUFS, −1 dBTP).',
      }),
    ),
    intensityPercent: Percent(
      'Without a reference: how much of the measured tonal deviation to correct, 0 … 100 (default 100).',
    ),
    style: Type.Optional(
      Type.Union([Type.Literal('balanced'), Type.Literal('warm'), Type.Literal('bright')], {
        description: 'Without a reference: the tonal curve to aim for (default balanced).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const JobStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('processing'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const JobAcceptedSchema = Type.Object({
  jobId: Id('The new job (UUIDv7: time-ordered).'),
  status: JobStatusSchema,
});

const Measure = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const MeasuresSchema = Type.Union([
  Type.Object(
    {
      integratedLoudnessLufs: Measure('Integrated loudness, LUFS (BS.1770-4); null for silence.'),
      loudnessRangeLu: Measure('Loudness range, LU (EBU Tech 3342).'),
      momentaryMaxLoudnessLufs: Measure('Highest momentary (400 ms) loudness, LUFS.'),
      shortTermMaxLoudnessLufs: Measure('Highest short-term (3 s) loudness, LUFS.'),
      truePeakDbtp: Measure('True peak, dBTP (4x oversampled).'),
      samplePeakDbfs: Measure('Sample peak, dBFS.'),
      plrDb: Measure('Peak-to-loudness ratio, dB.'),
      rmsDbfs: Measure('RMS level, dBFS.'),
      crestFactorDb: Measure('Crest factor, dB.'),
    },
    { title: 'Measures' },
  ),
  Type.Null(),
]);

const JobStepNameSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('analyze'),
  Type.Literal('decide'),
  Type.Literal('master'),
  Type.Literal('done'),
]);

export const JobSchema = Type.Object(
  {
    jobId: Id('The job.'),
    status: JobStatusSchema,
    progress: Type.Number({ minimum: 0, maximum: 100, description: 'Percent done.' }),
    currentStep: JobStepNameSchema,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    target: Type.Object({
      preset: Type.Union([Type.String(), Type.Null()], {
        description: 'null for figures set by the caller.',
      }),
      integratedLufs: Type.Number({ description: 'LUFS.' }),
      truePeakDbtp: Type.Number({ description: 'dBTP.' }),
    }),
    artifacts: Type.Array(
      Type.Object({
        name: Type.String({ examples: ['master.wav'] }),
        contentType: Type.String(),
        sizeBytes: Type.Integer(),
      }),
      { description: 'Files ready to download from /v1/jobs/{jobId}/artifacts/{name}.' },
    ),
    metrics: Type.Object({ input: MeasuresSchema, output: MeasuresSchema }),
    error: Type.Optional(
      Type.Object({ code: Type.String(), message: Type.String() }, { description: 'Why the job failed.' }),
    ),
    attempts: Type.Integer({
      minimum: 0,
      description: 'Deliveries of the current step (1 on the first try).',
    }),
    lastError: Type.Union(
      [
        Type.Object({
          code: Type.String({ description: 'A documented error code.' }),
          message: Type.String(),
          step: JobStepNameSchema,
          attempt: Type.Integer({ minimum: 1, description: 'The attempt that failed.' }),
          occurredAt: Type.String({ format: 'date-time' }),
        }),
        Type.Null(),
      ],
      { description: 'The latest failed attempt of any step, retried or final; null when none failed.' },
    ),
    retries: Type.Integer({ minimum: 0, description: 'Times an operator retried the job after it failed.' }),
  },
  { $id: 'Job', title: 'Job' },
);

/**
 * A job id in a path: the shape of the ids the platform mints, so `..`, `%2e%2e`, encoded
 * slashes, NUL and other strings that are not ids are 400 `REQUEST_INVALID` before any lookup.
 */
const JobIdParam = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,128}$',
  description: 'A job id from POST /v1/jobs.',
});

export const JobParamsSchema = Type.Object({ jobId: JobIdParam });

export const ArtifactParamsSchema = Type.Object({
  jobId: JobIdParam,
  name: Type.String({
    minLength: 1,
    maxLength: 100,
    description: `One of ${ARTIFACT_NAMES.join(', ')}.`,
    examples: [...ARTIFACT_NAMES],
  }),
});

export const ListJobsQuerySchema = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the page before.' }),
    ),
  },
  { additionalProperties: false },
);

export const JobPageSchema = Type.Object({
  jobs: Type.Array(Type.Ref('Job')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page.' }),
});

export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Repeating a request with the same key and body returns the same job.',
    }),
  ),
});

/** Shared schemas, registered once with `addSchema` and referred to by `$id`. */
export const SHARED_SCHEMAS: readonly TSchema[] = [ProblemSchema, JobSchema];
