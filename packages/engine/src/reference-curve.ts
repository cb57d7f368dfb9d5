import type { Analysis } from './analysis.ts';
import type { TonalCurve } from './tonal-curve.ts';

/**
 * The tonal curve of a reference track: its long-term 1/3-octave spectrum relative to its
 * integrated loudness, so that {@link decideEq} moves the mix towards the reference's
 * balance whatever the two loudnesses are.
 */
export function referenceCurve(reference: Analysis): TonalCurve {
  return {
    name: 'reference',
    source: `the reference track's long-term spectrum (${reference.durationSeconds.toFixed(1)} s, ${reference.integratedLufs.toFixed(1)} LUFS)`,
    bandsDb: reference.spectrum.bands
      .filter((band) => Number.isFinite(band.levelDb))
      .map((band) => [band.nominalCentreFrequencyHz, band.levelDb - reference.integratedLufs] as const),
  };
}
