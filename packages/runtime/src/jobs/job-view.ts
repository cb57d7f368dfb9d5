import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type Artifact, type EventContext, type JobEvent, JobStep } from '@lacquer/contracts';
import { type MeasuresView, measuresView } from './level-measures.ts';

/** Where a job stands, as the REST API reports it. */
export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** The step a job is at, as the REST API names it. */
export type JobStepName = 'queued' | 'analyze' | 'decide' | 'master' | 'done';

/** A stored file of a job. `objectKey` is internal: the API never shows it. */
export interface ArtifactView {
  readonly name: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256Hex: string;
  readonly objectKey: string;
}

/**
 * The read model of one job: the fold of its events ({@link evolveJobView}). Plain JSON, so
 * every read-model adapter stores it as it is.
 */
export interface JobView {
  readonly jobId: string;
  readonly tenantId: string;
  readonly status: JobStatus;
  /** 0 … 100. */
  readonly progressPercent: number;
  readonly currentStep: JobStepName;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly inputObjectKey: string;
  readonly referenceObjectKey: string | null;
  readonly target: {
    readonly preset: string | null;
    readonly integratedLoudnessLufs: number;
    readonly truePeakCeilingDbtp: number;
  };
  readonly artifacts: readonly ArtifactView[];
  readonly metrics: { readonly input: MeasuresView | null; readonly output: MeasuresView | null };
  readonly error: { readonly code: string; readonly message: string; readonly step: JobStepName } | null;
  /** Deliveries of the step the job is at (1 on the first try). */
  readonly attempts: number;
  /**
   * The latest failed attempt of any step, retried or final: what an operator looks at first.
   * `null` while no attempt has failed.
   */
  readonly lastError: LastErrorView | null;
  /** Times an operator retried the job after it failed (0 … ). */
  readonly retries: number;
  /** Stream sequence of the last event folded in; older or equal ones are skipped. */
  readonly lastSequence: number;
}

/** A failed attempt at a step. */
export interface LastErrorView {
  /** A code of Lacquer's error registry. */
  readonly code: string;
  readonly message: string;
  readonly step: JobStepName;
  /** The attempt that failed, 1 for the first delivery. */
  readonly attempt: number;
  /** ISO 8601, UTC. */
  readonly occurredAt: string;
}

/** Progress when a step starts and when its event arrives. */
const PROGRESS_PERCENT = {
  requested: 0,
  analyzeStarted: 5,
  analyzed: 30,
  decideStarted: 35,
  decided: 40,
  masterStarted: 45,
  rendered: 95,
  completed: 100,
} as const;

const STEP_NAMES: Record<JobStep, JobStepName> = {
  [JobStep.UNSPECIFIED]: 'queued',
  [JobStep.ANALYZE]: 'analyze',
  [JobStep.DECIDE]: 'decide',
  [JobStep.MASTER]: 'master',
};

const STARTED_PROGRESS: Record<JobStep, number> = {
  [JobStep.UNSPECIFIED]: PROGRESS_PERCENT.requested,
  [JobStep.ANALYZE]: PROGRESS_PERCENT.analyzeStarted,
  [JobStep.DECIDE]: PROGRESS_PERCENT.decideStarted,
  [JobStep.MASTER]: PROGRESS_PERCENT.masterStarted,
};

/** `artifacts` with `added` put in (a name already there is replaced), in a stable order. */
function withArtifacts(
  artifacts: readonly ArtifactView[],
  added: readonly Artifact[],
): readonly ArtifactView[] {
  const byName = new Map(artifacts.map((artifact) => [artifact.name, artifact]));
  for (const artifact of added) {
    byName.set(artifact.name, {
      name: artifact.name,
      contentType: artifact.contentType,
      sizeBytes: Number(artifact.sizeBytes),
      sha256Hex: artifact.sha256Hex,
      objectKey: artifact.objectKey,
    });
  }
  return [...byName.values()];
}

function occurredAt(context: EventContext | undefined): string {
  return context?.occurredAt ? timestampDate(context.occurredAt).toISOString() : new Date(0).toISOString();
}

/**
 * Folds one event into a job's view (the `evolve` of an event-sourced decider): pure, and
 * idempotent by `sequence` — an event at or below `view.lastSequence` returns the view as it
 * is, so replays and redeliveries change nothing. A finished job (completed or failed) keeps
 * its status whatever arrives later.
 *
 * @returns the new view, or `null` when there is no view and the event is not JobRequested
 *   (an event of a job whose request was never seen).
 */
export function evolveJobView(view: JobView | null, event: JobEvent, sequence: number): JobView | null {
  if (view && sequence <= view.lastSequence) return view;
  if (event.type === 'JobRequested') {
    if (view) return { ...view, lastSequence: sequence };
    const { context, target } = event.data;
    const at = occurredAt(context);
    return {
      jobId: context?.jobId ?? '',
      tenantId: context?.tenantId ?? '',
      status: 'queued',
      progressPercent: PROGRESS_PERCENT.requested,
      currentStep: 'queued',
      createdAt: at,
      updatedAt: at,
      inputObjectKey: event.data.inputObjectKey,
      referenceObjectKey: event.data.referenceObjectKey ?? null,
      target: {
        preset: target?.preset ? target.preset : null,
        integratedLoudnessLufs: target?.integratedLoudnessLufs ?? 0,
        truePeakCeilingDbtp: target?.truePeakCeilingDbtp ?? 0,
      },
      artifacts: [],
      metrics: { input: null, output: null },
      error: null,
      attempts: 0,
      lastError: null,
      retries: 0,
      lastSequence: sequence,
    };
  }
  if (!view) return null;
  const base = { ...view, updatedAt: occurredAt(event.data.context), lastSequence: sequence };
  if (event.type === 'JobRetried') {
    if (view.status !== 'failed') return { ...view, lastSequence: sequence };
    return {
      ...base,
      status: 'queued',
      currentStep: STEP_NAMES[event.data.step],
      error: null,
      attempts: 0,
      retries: event.data.retry,
    };
  }
  if (view.status === 'completed' || view.status === 'failed') return { ...view, lastSequence: sequence };
  switch (event.type) {
    case 'JobStepStarted':
      return {
        ...base,
        status: 'processing',
        currentStep: STEP_NAMES[event.data.step],
        progressPercent: Math.max(view.progressPercent, STARTED_PROGRESS[event.data.step]),
        attempts: event.data.attempt,
      };
    case 'JobStepAttemptFailed':
      return {
        ...base,
        attempts: event.data.attempt,
        lastError: {
          code: event.data.errorCode,
          message: event.data.errorMessage,
          step: STEP_NAMES[event.data.step],
          attempt: event.data.attempt,
          occurredAt: base.updatedAt,
        },
      };
    case 'TrackAnalyzed':
      return {
        ...base,
        artifacts: withArtifacts(view.artifacts, event.data.analysis ? [event.data.analysis] : []),
        status: 'processing',
        progressPercent: Math.max(view.progressPercent, PROGRESS_PERCENT.analyzed),
        metrics: {
          ...view.metrics,
          input: event.data.inputMeasures ? measuresView(event.data.inputMeasures) : null,
        },
      };
    case 'MasteringDecided':
      return {
        ...base,
        artifacts: withArtifacts(view.artifacts, event.data.decision ? [event.data.decision] : []),
        status: 'processing',
        progressPercent: Math.max(view.progressPercent, PROGRESS_PERCENT.decided),
      };
    case 'MasterRendered':
      return {
        ...base,
        status: 'processing',
        progressPercent: Math.max(view.progressPercent, PROGRESS_PERCENT.rendered),
        artifacts: withArtifacts(view.artifacts, event.data.artifacts),
        metrics: {
          ...view.metrics,
          output: event.data.outputMeasures ? measuresView(event.data.outputMeasures) : null,
        },
      };
    case 'JobCompleted':
      return {
        ...base,
        status: 'completed',
        currentStep: 'done',
        progressPercent: PROGRESS_PERCENT.completed,
      };
    case 'JobFailed':
      return {
        ...base,
        status: 'failed',
        attempts: event.data.attempts,
        error: {
          code: event.data.errorCode,
          message: event.data.errorMessage,
          step: STEP_NAMES[event.data.step],
        },
        lastError: {
          code: event.data.errorCode,
          message: event.data.errorMessage,
          step: STEP_NAMES[event.data.step],
          attempt: event.data.attempts,
          occurredAt: base.updatedAt,
        },
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
