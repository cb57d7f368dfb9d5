import { JobStep } from './gen/lacquer/job/v1/events_pb.ts';
import type { JobEventType } from './job-events.ts';
import { CONSUMERS } from './subjects.ts';

/** One step of the pipeline: the event it consumes and the events it publishes, in order. */
export interface PipelineStep {
  readonly step: JobStep;
  /** The worker service's durable consumer (see {@link CONSUMERS}). */
  readonly consumer: 'analyzer' | 'decision' | 'mastering';
  readonly input: JobEventType;
  /** Published once per input event; the step is done when the last one is in the log. */
  readonly outputs: readonly JobEventType[];
}

/**
 * The steps of a job, in order. The one table that says which worker does a step, what
 * starts it (a retry republishes this event) and what it leaves in the log.
 */
export const PIPELINE_STEPS: readonly PipelineStep[] = [
  { step: JobStep.ANALYZE, consumer: 'analyzer', input: 'JobRequested', outputs: ['TrackAnalyzed'] },
  { step: JobStep.DECIDE, consumer: 'decision', input: 'TrackAnalyzed', outputs: ['MasteringDecided'] },
  {
    step: JobStep.MASTER,
    consumer: 'mastering',
    input: 'MasteringDecided',
    outputs: ['MasterRendered', 'JobCompleted'],
  },
];

/** The pipeline step of `step`. @throws TypeError for a step outside the pipeline. */
export function pipelineStep(step: JobStep): PipelineStep {
  const found = PIPELINE_STEPS.find((candidate) => candidate.step === step);
  if (!found) throw new TypeError(`step ${JobStep[step]} is not a pipeline step`);
  return found;
}

/** The pipeline step whose worker consumes with `durableName`, or `undefined`. */
export function pipelineStepOfConsumer(durableName: string): PipelineStep | undefined {
  return PIPELINE_STEPS.find((candidate) => CONSUMERS[candidate.consumer].durableName === durableName);
}
