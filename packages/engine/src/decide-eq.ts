import type { ThirdOctaveSpectrum } from '@lacquer/dsp';
import type { EqBand } from './mastering-plan.ts';
import type { TonalCurve } from './tonal-curve.ts';
import { formatHz, formatHzRange, round1, signed } from './wording.ts';

/** A broad region of the spectrum and the filter that corrects it. */
interface EqRegion {
  readonly name: string;
  readonly regionHz: readonly [number, number];
  readonly shape: EqBand['shape'];
  readonly frequencyHz: number;
  readonly q: number;
}

/** Four regions a mastering engineer reaches for first; narrower problems are the mix's job. */
const REGIONS: readonly EqRegion[] = [
  { name: 'low end', regionHz: [40, 100], shape: 'lowShelf', frequencyHz: 100, q: Math.SQRT1_2 },
  { name: 'low mids', regionHz: [200, 400], shape: 'peaking', frequencyHz: 300, q: 1 },
  { name: 'presence', regionHz: [2000, 4000], shape: 'peaking', frequencyHz: 3000, q: 1 },
  { name: 'air', regionHz: [8000, 12500], shape: 'highShelf', frequencyHz: 10000, q: Math.SQRT1_2 },
];

/** The overall level offset is taken over the bands every mix has. */
const REFERENCE_REGION_HZ = [100, 10000] as const;
/** Deviations smaller than this are taste, not a problem: no move (dB). */
const MIN_DEVIATION_DB = 2;
/** Largest boost or cut one band may make (dB): mastering EQ stays gentle. */
const MAX_GAIN_DB = 4;

/**
 * Corrective EQ from the long-term spectrum against a tonal curve: per region, the mean of
 * (band level − loudness − curve), minus the same mean over 100 Hz–10 kHz (so only the shape
 * counts, not the level). A region off by at least 2 dB gets a shelf or bell that moves it
 * back by a share of the deviation (30 % at intensity 0, 80 % at 100), at most ±4 dB.
 */
export function decideEq(
  spectrum: ThirdOctaveSpectrum,
  integratedLufs: number,
  curve: TonalCurve,
  intensityPercent: number,
): { bands: EqBand[]; notes: string[] } {
  const deviations = new Map<number, number>();
  for (const band of spectrum.bands) {
    const target = curve.bandsDb.find(([hz]) => hz === band.nominalCentreFrequencyHz)?.[1];
    if (target !== undefined && Number.isFinite(band.levelDb)) {
      deviations.set(band.nominalCentreFrequencyHz, band.levelDb - integratedLufs - target);
    }
  }
  const meanOver = ([fromHz, toHz]: readonly [number, number]) => {
    const values = [...deviations].filter(([hz]) => hz >= fromHz && hz <= toHz).map(([, db]) => db);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const offsetDb = meanOver(REFERENCE_REGION_HZ);
  if (offsetDb === null) return { bands: [], notes: ['too little signal to judge the tonal balance: no EQ'] };

  const share = 0.3 + (0.5 * intensityPercent) / 100;
  const bands: EqBand[] = [];
  const balanced: string[] = [];
  for (const region of REGIONS) {
    const mean = meanOver(region.regionHz);
    if (mean === null) continue;
    const deviationDb = mean - offsetDb;
    const range = formatHzRange(region.regionHz[0], region.regionHz[1]);
    if (Math.abs(deviationDb) < MIN_DEVIATION_DB) {
      balanced.push(`${region.name} (${range}, ${signed(deviationDb)} dB)`);
      continue;
    }
    const gainDb = round1(Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, -share * deviationDb)));
    const direction = deviationDb > 0 ? 'above' : 'below';
    const filter =
      region.shape === 'peaking'
        ? `bell at ${formatHz(region.frequencyHz)}`
        : `${shapeName(region.shape)} at ${formatHz(region.frequencyHz)}`;
    bands.push({
      shape: region.shape,
      frequencyHz: region.frequencyHz,
      gainDb,
      q: region.q,
      evidence: { regionHz: region.regionHz, deviationDb: round1(deviationDb) },
      reason: `${region.name} ${Math.abs(deviationDb).toFixed(1)} dB ${direction} the ${curve.name} curve at ${range} → ${filter} ${signed(gainDb)} dB`,
    });
  }
  const notes =
    balanced.length > 0
      ? [`tonal balance within ${MIN_DEVIATION_DB} dB of the ${curve.name} curve in: ${balanced.join(', ')}`]
      : [];
  return { bands, notes };
}

function shapeName(shape: EqBand['shape']): string {
  return shape === 'lowShelf' ? 'low shelf' : shape === 'highShelf' ? 'high shelf' : 'bell';
}
