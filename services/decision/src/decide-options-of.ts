import type { JobRequested } from '@lacquer/contracts';
import type { Analysis, DecideOptions } from '@lacquer/engine';

/**
 * The engine's options for a job request: the style and intensity of auto mode, or the
 * reference's analysis and the amounts to match. Absent fields keep the engine's defaults.
 */
export function decideOptionsOf(request: JobRequested, reference: Analysis | null): DecideOptions {
  const amounts = request.matchAmounts;
  return {
    reference,
    ...(request.intensityPercent === undefined ? {} : { intensityPercent: request.intensityPercent }),
    ...(request.style === undefined ? {} : { style: request.style }),
    ...(amounts
      ? {
          amounts: {
            ...(amounts.tonePercent === undefined ? {} : { tonePercent: amounts.tonePercent }),
            ...(amounts.widthPercent === undefined ? {} : { widthPercent: amounts.widthPercent }),
            ...(amounts.densityPercent === undefined ? {} : { densityPercent: amounts.densityPercent }),
          },
        }
      : {}),
  };
}
