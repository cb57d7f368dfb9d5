import type { JobRequested } from '@lacquer/contracts';
import { type DeliveryTarget, resolveTarget } from '@lacquer/engine';

/**
 * The engine's target for a job request: the named preset, or the custom figures the
 * gateway validated.
 *
 * @throws LacquerError `ENGINE_INVALID_TARGET` when the request's target is out of range.
 */
export function deliveryTargetOf(request: JobRequested): DeliveryTarget {
  const target = request.target;
  if (!target) return resolveTarget({});
  if (target.preset) return resolveTarget({ preset: target.preset });
  return resolveTarget({
    integratedLufs: target.integratedLoudnessLufs,
    truePeakCeilingDbtp: target.truePeakCeilingDbtp,
  });
}
