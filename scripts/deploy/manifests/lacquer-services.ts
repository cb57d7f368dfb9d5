import { PIPELINE_STEPS, type PipelineStep } from '@lacquer/contracts';
import { COMPONENT_LABEL, isLacquerObject, type KubernetesObject } from './kubernetes-object.ts';

/** A worker service of the pipeline: its name is its consumer's key in `CONSUMERS`. */
export type PipelineWorker = PipelineStep['consumer'];

/** The service that is not a worker: the HTTP API (with the projector and the reaper). */
export const GATEWAY_SERVICE = 'gateway';

/** The pipeline's workers, in step order (`PIPELINE_STEPS`). */
export const PIPELINE_WORKERS: readonly PipelineWorker[] = PIPELINE_STEPS.map((step) => step.consumer);

/** The Lacquer service an object belongs to (its component label), or `undefined` for others. */
export function lacquerServiceOf(object: KubernetesObject): string | undefined {
  return isLacquerObject(object) ? object.metadata.labels?.[COMPONENT_LABEL] : undefined;
}

/** The pipeline worker an object belongs to, or `undefined` (gateway, NATS, MinIO, …). */
export function pipelineWorkerOf(object: KubernetesObject): PipelineWorker | undefined {
  const service = lacquerServiceOf(object);
  return PIPELINE_WORKERS.find((worker) => worker === service);
}
