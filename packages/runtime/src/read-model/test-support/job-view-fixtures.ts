import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ArtifactSchema,
  DeliveryTargetSchema,
  EventContextSchema,
  JobCompletedSchema,
  type JobEvent,
  JobFailedSchema,
  JobRequestedSchema,
  JobRetriedSchema,
  JobStep,
  JobStepStartedSchema,
  LevelMeasuresSchema,
  MasteringDecidedSchema,
  MasterRenderedSchema,
  TrackAnalyzedSchema,
} from '@lacquer/contracts';
import { evolveJobView, type JobView } from '../../jobs/job-view.ts';

/** Which job a fixture is of, and when it was requested. */
export interface JobFixture {
  readonly tenantId: string;
  readonly jobId: string;
  readonly requestedAt: Date;
}

/** The events of a job that was requested and ran to completion, 1 s apart. */
export function completedJobEvents({ tenantId, jobId, requestedAt }: JobFixture): JobEvent[] {
  const context = (seconds: number) =>
    create(EventContextSchema, {
      jobId,
      tenantId,
      occurredAt: timestampFromDate(new Date(requestedAt.getTime() + seconds * 1000)),
    });
  const measures = (integratedLoudnessLufs: number) =>
    create(LevelMeasuresSchema, {
      integratedLoudnessLufs,
      loudnessRangeLu: 6.5,
      momentaryMaxLoudnessLufs: integratedLoudnessLufs + 4,
      shortTermMaxLoudnessLufs: integratedLoudnessLufs + 2,
      truePeakDbtp: -1,
      samplePeakDbfs: -1.2,
      plrDb: 13,
      rmsDbfs: integratedLoudnessLufs - 1,
      crestFactorDb: Number.NEGATIVE_INFINITY,
    });
  return [
    {
      type: 'JobRequested',
      data: create(JobRequestedSchema, {
        context: context(0),
        inputObjectKey: `tenants/${tenantId}/jobs/${jobId}/input.wav`,
        target: create(DeliveryTargetSchema, {
          preset: 'spotify',
          integratedLoudnessLufs: -14,
          truePeakCeilingDbtp: -1,
        }),
      }),
    },
    {
      type: 'JobStepStarted',
      data: create(JobStepStartedSchema, { context: context(1), step: JobStep.ANALYZE, attempt: 1 }),
    },
    {
      type: 'TrackAnalyzed',
      data: create(TrackAnalyzedSchema, { context: context(2), inputMeasures: measures(-18.25) }),
    },
    { type: 'MasteringDecided', data: create(MasteringDecidedSchema, { context: context(3) }) },
    {
      type: 'JobStepStarted',
      data: create(JobStepStartedSchema, { context: context(4), step: JobStep.MASTER, attempt: 2 }),
    },
    {
      type: 'MasterRendered',
      data: create(MasterRenderedSchema, {
        context: context(5),
        artifacts: [
          create(ArtifactSchema, {
            name: 'master.wav',
            objectKey: `tenants/${tenantId}/jobs/${jobId}/master.wav`,
            contentType: 'audio/wav',
            sizeBytes: 52_428_800n,
            sha256Hex: 'ab'.repeat(32),
          }),
        ],
        outputMeasures: measures(-14.02),
      }),
    },
    { type: 'JobCompleted', data: create(JobCompletedSchema, { context: context(6) }) },
  ];
}

/** Folds `events` with {@link evolveJobView}, the n-th at stream sequence `n` (from 1). */
export function foldJobView(events: readonly JobEvent[]): JobView | null {
  return events.reduce<JobView | null>((view, event, index) => evolveJobView(view, event, index + 1), null);
}

/** The view of a job just requested (queued, sequence 1). */
export function requestedJobView(fixture: JobFixture): JobView {
  const view = foldJobView(completedJobEvents(fixture).slice(0, 1));
  if (!view) throw new Error('a JobRequested event folds to a view');
  return view;
}

/** The view of a job that completed: metrics, artifacts, step `done`. */
export function completedJobView(fixture: JobFixture): JobView {
  const view = foldJobView(completedJobEvents(fixture));
  if (!view) throw new Error('a completed job folds to a view');
  return view;
}

/** The view of a job whose analysis has started (processing, sequence 2). */
export function processingJobView(fixture: JobFixture): JobView {
  const view = foldJobView(completedJobEvents(fixture).slice(0, 2));
  if (!view) throw new Error('a started job folds to a view');
  return view;
}

/** The view of a job that failed in its analysis (sequence 3). */
export function failedJobView(fixture: JobFixture): JobView {
  const [requested, started] = completedJobEvents(fixture);
  if (!requested || !started) throw new Error('a job has a request and a first step');
  const failed: JobEvent = {
    type: 'JobFailed',
    data: create(JobFailedSchema, {
      context: create(EventContextSchema, {
        jobId: fixture.jobId,
        tenantId: fixture.tenantId,
        occurredAt: timestampFromDate(new Date(fixture.requestedAt.getTime() + 2000)),
      }),
      step: JobStep.ANALYZE,
      errorCode: 'MEDIA_DECODE_FAILED',
      errorMessage: 'the input is not audio',
      attempts: 1,
    }),
  };
  const view = foldJobView([requested, started, failed]);
  if (!view) throw new Error('a failed job folds to a view');
  return view;
}

/** `view` (failed) retried by an operator: queued again, at the next sequence. */
export function retriedJobView(view: JobView): JobView {
  const retried: JobEvent = {
    type: 'JobRetried',
    data: create(JobRetriedSchema, {
      context: create(EventContextSchema, {
        jobId: view.jobId,
        tenantId: view.tenantId,
        occurredAt: timestampFromDate(new Date(Date.parse(view.updatedAt) + 1000)),
      }),
      step: JobStep.ANALYZE,
      retry: view.retries + 1,
    }),
  };
  const next = evolveJobView(view, retried, view.lastSequence + 1);
  if (next?.status !== 'queued') throw new Error('only a failed job can be retried');
  return next;
}
