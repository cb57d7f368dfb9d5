import { create } from '@bufbuild/protobuf';
import {
  type Artifact,
  ArtifactSchema,
  DeliveryTargetSchema,
  JobCompletedSchema,
  type JobEvent,
  JobFailedSchema,
  JobRequestedSchema,
  JobRetriedSchema,
  JobStep,
  JobStepAttemptFailedSchema,
  JobStepStartedSchema,
  jobEventContext,
  type LevelMeasures,
  LevelMeasuresSchema,
  MasteringDecidedSchema,
  MasterRenderedSchema,
  TrackAnalyzedSchema,
} from '@lacquer/contracts';
import { describe, expect, it } from 'vitest';
import { evolveJobView, type JobView } from './job-view.ts';

const JOB_ID = 'job-0192f3a4';
const TENANT_ID = 'tenant-a';
const REQUESTED_AT_MS = Date.parse('2026-03-01T12:00:00.000Z');

/** When the event `seconds` after the request happened, as the view shows it. */
const iso = (seconds: number): string => new Date(REQUESTED_AT_MS + seconds * 1000).toISOString();
const context = (seconds: number) =>
  jobEventContext(JOB_ID, TENANT_ID, new Date(REQUESTED_AT_MS + seconds * 1000));

// Events of job JOB_ID, `seconds` after its request.

const requested = (seconds = 0): JobEvent => ({
  type: 'JobRequested',
  data: create(JobRequestedSchema, {
    context: context(seconds),
    inputObjectKey: `tenants/${TENANT_ID}/uploads/input.wav`,
    referenceObjectKey: `tenants/${TENANT_ID}/uploads/reference.wav`,
    target: create(DeliveryTargetSchema, {
      preset: 'spotify',
      integratedLoudnessLufs: -14,
      truePeakCeilingDbtp: -1,
    }),
  }),
});
const stepStarted = (seconds: number, step: JobStep, attempt: number): JobEvent => ({
  type: 'JobStepStarted',
  data: create(JobStepStartedSchema, { context: context(seconds), step, attempt }),
});
const analyzed = (seconds: number, inputMeasures: LevelMeasures = measures(-18.25)): JobEvent => ({
  type: 'TrackAnalyzed',
  data: create(TrackAnalyzedSchema, {
    context: context(seconds),
    analysis: artifact('analysis.json', 'application/json', 'a1'),
    inputMeasures,
  }),
});
const decided = (seconds: number): JobEvent => ({
  type: 'MasteringDecided',
  data: create(MasteringDecidedSchema, {
    context: context(seconds),
    decision: artifact('decision.json', 'application/json', 'd1'),
    notes: ['gain +4.25 dB'],
  }),
});
const rendered = (seconds: number, artifacts: Artifact[]): JobEvent => ({
  type: 'MasterRendered',
  data: create(MasterRenderedSchema, {
    context: context(seconds),
    artifacts,
    outputMeasures: measures(-14.02),
    renderDurationMs: 1234,
  }),
});
const completed = (seconds: number): JobEvent => ({
  type: 'JobCompleted',
  data: create(JobCompletedSchema, { context: context(seconds) }),
});
const failed = (seconds: number, step: JobStep, attempts: number): JobEvent => ({
  type: 'JobFailed',
  data: create(JobFailedSchema, {
    context: context(seconds),
    step,
    errorCode: 'MEDIA_DECODE_FAILED',
    errorMessage: 'the input is not a WAV file',
    attempts,
  }),
});

const attemptFailed = (seconds: number, step: JobStep, attempt: number): JobEvent => ({
  type: 'JobStepAttemptFailed',
  data: create(JobStepAttemptFailedSchema, {
    context: context(seconds),
    step,
    attempt,
    errorCode: 'BLOB_UNAVAILABLE',
    errorMessage: 'disk hiccup',
    retryDelayMs: 1000,
  }),
});

const retried = (seconds: number, step: JobStep, retry: number): JobEvent => ({
  type: 'JobRetried',
  data: create(JobRetriedSchema, { context: context(seconds), step, retry }),
});

/** An artifact whose sha256 is `shaByte` repeated (so two versions of one name differ). */
function artifact(name: string, contentType: string, shaByte: string, sizeBytes = 2048n): Artifact {
  return create(ArtifactSchema, {
    name,
    objectKey: `tenants/${TENANT_ID}/jobs/${JOB_ID}/${name}`,
    contentType,
    sizeBytes,
    sha256Hex: shaByte.repeat(32),
  });
}

function measures(integratedLoudnessLufs: number): LevelMeasures {
  return create(LevelMeasuresSchema, {
    integratedLoudnessLufs,
    loudnessRangeLu: 6.5,
    momentaryMaxLoudnessLufs: integratedLoudnessLufs + 4,
    shortTermMaxLoudnessLufs: integratedLoudnessLufs + 2,
    truePeakDbtp: -1,
    samplePeakDbfs: -1.25,
    plrDb: 13,
    rmsDbfs: integratedLoudnessLufs - 1,
    crestFactorDb: 12.5,
  });
}

/** The view `measures(integratedLoudnessLufs)` folds to. */
const measuresOf = (integratedLoudnessLufs: number) => ({
  integratedLoudnessLufs,
  loudnessRangeLu: 6.5,
  momentaryMaxLoudnessLufs: integratedLoudnessLufs + 4,
  shortTermMaxLoudnessLufs: integratedLoudnessLufs + 2,
  truePeakDbtp: -1,
  samplePeakDbfs: -1.25,
  plrDb: 13,
  rmsDbfs: integratedLoudnessLufs - 1,
  crestFactorDb: 12.5,
});

/** The view of `artifact(...)`. */
const artifactView = (name: string, contentType: string, shaByte: string, sizeBytes = 2048) => ({
  name,
  contentType,
  sizeBytes,
  sha256Hex: shaByte.repeat(32),
  objectKey: `tenants/${TENANT_ID}/jobs/${JOB_ID}/${name}`,
});

/** The view right after `requested()` at sequence 1. */
const QUEUED: JobView = {
  jobId: JOB_ID,
  tenantId: TENANT_ID,
  status: 'queued',
  progressPercent: 0,
  currentStep: 'queued',
  createdAt: iso(0),
  updatedAt: iso(0),
  inputObjectKey: `tenants/${TENANT_ID}/uploads/input.wav`,
  referenceObjectKey: `tenants/${TENANT_ID}/uploads/reference.wav`,
  target: { preset: 'spotify', integratedLoudnessLufs: -14, truePeakCeilingDbtp: -1 },
  artifacts: [],
  metrics: { input: null, output: null },
  error: null,
  attempts: 0,
  lastError: null,
  retries: 0,
  lastSequence: 1,
};

/** Every view along the way: the n-th event folded at stream sequence n (from 1). */
function views(events: readonly JobEvent[]): (JobView | null)[] {
  const seen: (JobView | null)[] = [];
  events.reduce<JobView | null>((view, event, index) => {
    const next = evolveJobView(view, event, index + 1);
    seen.push(next);
    return next;
  }, null);
  return seen;
}

/** Given `history` (at sequences 1 … n), when `event` arrives at `sequence` (default n + 1). */
function given(...history: JobEvent[]) {
  const view = views(history).at(-1) ?? null;
  return {
    view,
    when: (event: JobEvent, sequence = history.length + 1) => evolveJobView(view, event, sequence),
  };
}

const HAPPY_PATH: readonly JobEvent[] = [
  requested(0),
  stepStarted(1, JobStep.ANALYZE, 1),
  analyzed(2),
  stepStarted(3, JobStep.DECIDE, 1),
  decided(4),
  stepStarted(5, JobStep.MASTER, 2),
  rendered(6, [
    artifact('master.wav', 'audio/wav', 'b1', 52_428_800n),
    artifact('master.mp3', 'audio/mpeg', 'c1'),
  ]),
  completed(7),
];

describe('evolveJobView', () => {
  it('follows a job through every step to completed', () => {
    const trail = views(HAPPY_PATH).map((view) => [
      view?.status,
      view?.currentStep,
      view?.progressPercent,
      view?.attempts,
      view?.artifacts.map((a) => a.name),
      view?.metrics.input !== null,
      view?.metrics.output !== null,
      view?.updatedAt,
      view?.lastSequence,
    ]);

    expect(trail).toEqual([
      ['queued', 'queued', 0, 0, [], false, false, iso(0), 1],
      ['processing', 'analyze', 5, 1, [], false, false, iso(1), 2],
      ['processing', 'analyze', 30, 1, ['analysis.json'], true, false, iso(2), 3],
      ['processing', 'decide', 35, 1, ['analysis.json'], true, false, iso(3), 4],
      ['processing', 'decide', 40, 1, ['analysis.json', 'decision.json'], true, false, iso(4), 5],
      ['processing', 'master', 45, 2, ['analysis.json', 'decision.json'], true, false, iso(5), 6],
      [
        'processing',
        'master',
        95,
        2,
        ['analysis.json', 'decision.json', 'master.wav', 'master.mp3'],
        true,
        true,
        iso(6),
        7,
      ],
      [
        'completed',
        'done',
        100,
        2,
        ['analysis.json', 'decision.json', 'master.wav', 'master.mp3'],
        true,
        true,
        iso(7),
        8,
      ],
    ]);
  });

  it('folds the whole history of a completed job into its final view', () => {
    expect(views(HAPPY_PATH).at(-1)).toEqual({
      ...QUEUED,
      status: 'completed',
      progressPercent: 100,
      currentStep: 'done',
      updatedAt: iso(7),
      artifacts: [
        artifactView('analysis.json', 'application/json', 'a1'),
        artifactView('decision.json', 'application/json', 'd1'),
        artifactView('master.wav', 'audio/wav', 'b1', 52_428_800),
        artifactView('master.mp3', 'audio/mpeg', 'c1'),
      ],
      metrics: { input: measuresOf(-18.25), output: measuresOf(-14.02) },
      attempts: 2,
      lastSequence: 8,
    } satisfies JobView);
  });

  it('makes a queued view of JobRequested', () => {
    expect(given().when(requested(0))).toEqual(QUEUED);
  });

  it('has no preset and no reference when the request names none', () => {
    const event: JobEvent = {
      type: 'JobRequested',
      data: create(JobRequestedSchema, {
        context: context(0),
        inputObjectKey: `tenants/${TENANT_ID}/uploads/input.wav`,
        target: create(DeliveryTargetSchema, { integratedLoudnessLufs: -16, truePeakCeilingDbtp: -2 }),
      }),
    };

    expect(given().when(event)).toEqual({
      ...QUEUED,
      referenceObjectKey: null,
      target: { preset: null, integratedLoudnessLufs: -16, truePeakCeilingDbtp: -2 },
    } satisfies JobView);
  });

  describe('idempotency by stream sequence', () => {
    it('returns the same view object for an event at its last sequence', () => {
      const { view, when } = given(requested(0), stepStarted(1, JobStep.ANALYZE, 1));

      expect(when(analyzed(2), 2)).toBe(view);
    });

    it('returns the same view object for an event below its last sequence', () => {
      const { view, when } = given(requested(0), stepStarted(1, JobStep.ANALYZE, 1), analyzed(2));

      expect(when(stepStarted(1, JobStep.ANALYZE, 1), 2)).toBe(view);
      expect(when(requested(0), 1)).toBe(view);
    });

    it('gives the same view when the whole history is replayed a second time', () => {
      const once = views(HAPPY_PATH).at(-1) ?? null;
      const twice = HAPPY_PATH.reduce<JobView | null>(
        (view, event, index) => evolveJobView(view, event, index + 1),
        once,
      );

      expect(twice).toBe(once);
    });

    it('only moves lastSequence on a JobRequested seen again at a new sequence', () => {
      const { view, when } = given(requested(0), stepStarted(1, JobStep.ANALYZE, 1));

      expect(when(requested(9), 5)).toEqual({ ...view, lastSequence: 5 });
    });
  });

  describe('a failed job', () => {
    const FAILED_HISTORY = [
      requested(0),
      stepStarted(1, JobStep.ANALYZE, 1),
      stepStarted(2, JobStep.ANALYZE, 2),
      failed(3, JobStep.ANALYZE, 2),
    ];
    const FAILED: JobView = {
      ...QUEUED,
      status: 'failed',
      progressPercent: 5,
      currentStep: 'analyze',
      updatedAt: iso(3),
      error: { code: 'MEDIA_DECODE_FAILED', message: 'the input is not a WAV file', step: 'analyze' },
      attempts: 2,
      lastError: {
        code: 'MEDIA_DECODE_FAILED',
        message: 'the input is not a WAV file',
        step: 'analyze',
        attempt: 2,
        occurredAt: iso(3),
      },
      lastSequence: 4,
    };

    it('keeps the error code, message and step, and the attempts', () => {
      expect(views(FAILED_HISTORY).at(-1)).toEqual(FAILED);
    });

    it.each([
      ['JobStepStarted', stepStarted(4, JobStep.ANALYZE, 3)],
      ['TrackAnalyzed', analyzed(4)],
      ['MasteringDecided', decided(4)],
      ['MasterRendered', rendered(4, [artifact('master.wav', 'audio/wav', 'b1')])],
      ['JobCompleted', completed(4)],
      ['JobFailed', failed(4, JobStep.MASTER, 5)],
    ])('is not revived by a later %s', (_type, event) => {
      expect(given(...FAILED_HISTORY).when(event)).toEqual({ ...FAILED, lastSequence: 5 });
    });

    it('goes back to queued at its failed step on JobRetried, keeping lastError', () => {
      expect(given(...FAILED_HISTORY).when(retried(9, JobStep.ANALYZE, 1))).toEqual({
        ...FAILED,
        status: 'queued',
        currentStep: 'analyze',
        error: null,
        attempts: 0,
        retries: 1,
        updatedAt: iso(9),
        lastSequence: 5,
      });
    });
  });

  describe('a failed attempt', () => {
    it('sets lastError and attempts, and leaves the job processing', () => {
      const view = given(requested(0), stepStarted(1, JobStep.ANALYZE, 1)).when(
        attemptFailed(2, JobStep.ANALYZE, 1),
      );
      expect([view?.status, view?.attempts, view?.error, view?.lastError]).toEqual([
        'processing',
        1,
        null,
        { code: 'BLOB_UNAVAILABLE', message: 'disk hiccup', step: 'analyze', attempt: 1, occurredAt: iso(2) },
      ]);
    });
  });

  it('ignores JobRetried for a job that is not failed', () => {
    const { view, when } = given(...HAPPY_PATH);
    expect(when(retried(20, JobStep.ANALYZE, 1))).toEqual({ ...view, lastSequence: HAPPY_PATH.length + 1 });
  });

  it('keeps a completed job completed whatever arrives later', () => {
    const { view, when } = given(...HAPPY_PATH);

    expect(when(failed(8, JobStep.MASTER, 3))).toEqual({ ...view, lastSequence: 9 });
  });

  it.each([
    ['JobStepStarted', stepStarted(1, JobStep.ANALYZE, 1)],
    ['TrackAnalyzed', analyzed(1)],
    ['JobCompleted', completed(1)],
    ['JobFailed', failed(1, JobStep.ANALYZE, 1)],
  ])('has no view for a %s before JobRequested', (_type, event) => {
    expect(given().when(event)).toBeNull();
  });

  it('shows the -Infinity LUFS of silence (and a missing crest factor) as null', () => {
    const silence = create(LevelMeasuresSchema, {
      integratedLoudnessLufs: Number.NEGATIVE_INFINITY,
      loudnessRangeLu: 0,
      momentaryMaxLoudnessLufs: Number.NEGATIVE_INFINITY,
      shortTermMaxLoudnessLufs: Number.NEGATIVE_INFINITY,
      truePeakDbtp: Number.NEGATIVE_INFINITY,
      samplePeakDbfs: Number.NEGATIVE_INFINITY,
      plrDb: Number.NaN,
      rmsDbfs: Number.NEGATIVE_INFINITY,
    });

    const view = given(requested(0), stepStarted(1, JobStep.ANALYZE, 1)).when(analyzed(2, silence));

    expect(view?.metrics).toEqual({
      input: {
        integratedLoudnessLufs: null,
        loudnessRangeLu: 0,
        momentaryMaxLoudnessLufs: null,
        shortTermMaxLoudnessLufs: null,
        truePeakDbtp: null,
        samplePeakDbfs: null,
        plrDb: null,
        rmsDbfs: null,
        crestFactorDb: null,
      },
      output: null,
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('replaces an artifact of the same name in place instead of adding a second one', () => {
    const { when } = given(
      requested(0),
      stepStarted(1, JobStep.ANALYZE, 1),
      analyzed(2),
      stepStarted(3, JobStep.MASTER, 1),
      rendered(4, [artifact('master.wav', 'audio/wav', 'b1')]),
    );

    const view = when(
      rendered(5, [
        artifact('master.wav', 'audio/wav', 'b2', 4096n),
        artifact('analysis.json', 'application/json', 'a2'),
      ]),
    );

    expect(view?.artifacts).toEqual([
      artifactView('analysis.json', 'application/json', 'a2'),
      artifactView('master.wav', 'audio/wav', 'b2', 4096),
    ]);
  });
});
