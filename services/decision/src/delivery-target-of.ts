import type { JobRequested } from '@lacquer/contracts';
import { type DeliveryTarget, resolveTarget } from '@lacquer/engine';

/**
 * The engine's target for a job request: the figures the gateway resolved and recorded in
 * JobRequested, named after the preset when there was one.
 *
 * @throws LacquerError `ENGINE_INVALID_TARGET` when the request's target is out of range.
 */
export function deliveryTargetOf(request: JobRequested): DeliveryTarget {
  const target = request.target;
  if (!target) return resolveTarget({});
  const figures = {
    integratedLufs: target.integratedLoudnessLufs,
    truePeakCeilingDbtp: target.truePeakCeilingDbtp,
  };
  if (!target.preset) return resolveTarget(figures);
  // The figures recorded when the job was requested, under the preset's name and source:
  // a preset table changed since (a rolling deploy) does not change a job in flight.
  const recorded = resolveTarget(figures);
  return {
    ...resolveTarget({ preset: target.preset }),
    integratedLufs: recorded.integratedLufs,
    truePeakCeilingDbtp: recorded.truePeakCeilingDbtp,
  };
}
