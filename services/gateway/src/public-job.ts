import type { JobStatus, JobStepName, JobView, MeasuresView } from '@lacquer/runtime';

/** A job as the REST API shows it: no object keys, no tenant, no stream sequence. */
export interface PublicJob {
  readonly jobId: string;
  readonly status: JobStatus;
  /** 0 … 100. */
  readonly progress: number;
  readonly currentStep: JobStepName;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly target: {
    /** The preset's name, `null` for figures set by the caller. */
    readonly preset: string | null;
    readonly integratedLufs: number;
    readonly truePeakDbtp: number;
  };
  readonly artifacts: readonly {
    readonly name: string;
    readonly contentType: string;
    readonly sizeBytes: number;
  }[];
  readonly metrics: { readonly input: MeasuresView | null; readonly output: MeasuresView | null };
  readonly error?: { readonly code: string; readonly message: string };
  /** Deliveries of the step the job is at (1 on the first try). */
  readonly attempts: number;
  /** The latest failed attempt (retried or final), or `null`. */
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    readonly step: JobStepName;
    readonly attempt: number;
    readonly occurredAt: string;
  } | null;
  /** Times an operator retried the job after it failed. */
  readonly retries: number;
}

/** The public JSON of a job's view. */
export function publicJob(view: JobView): PublicJob {
  return {
    jobId: view.jobId,
    status: view.status,
    progress: view.progressPercent,
    currentStep: view.currentStep,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    target: {
      preset: view.target.preset,
      integratedLufs: view.target.integratedLoudnessLufs,
      truePeakDbtp: view.target.truePeakCeilingDbtp,
    },
    artifacts: view.artifacts.map(({ name, contentType, sizeBytes }) => ({ name, contentType, sizeBytes })),
    metrics: { input: view.metrics.input, output: view.metrics.output },
    ...(view.error ? { error: { code: view.error.code, message: view.error.message } } : {}),
    attempts: view.attempts,
    lastError: view.lastError ?? null,
    retries: view.retries ?? 0,
  };
}

/**
 * What a live client watches of a job (status, progress, step, artifacts, error): two views
 * with the same text here need no new status event.
 */
export function watchedState(job: PublicJob): string {
  return JSON.stringify([job.status, job.progress, job.currentStep, job.artifacts, job.error ?? null]);
}

/** True once the job will not change any more. */
export function isTerminal(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}
