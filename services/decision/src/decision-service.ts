import { JobStep } from '@lacquer/contracts';
import type { WorkerConfig, WorkerServiceDefinition } from '@lacquer/runtime';
import { onTrackAnalyzed } from './handlers/on-track-analyzed.ts';

/** The decision worker: TrackAnalyzed → MasteringDecided (light work, on the event loop). */
export function decisionService(config: WorkerConfig): WorkerServiceDefinition {
  return { name: 'decision', step: JobStep.DECIDE, config, createHandler: onTrackAnalyzed };
}
