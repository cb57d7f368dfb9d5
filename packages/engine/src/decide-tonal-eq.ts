import type { EqMove } from './mastering-plan.ts';
import { solveLinearSystem } from './solve-linear-system.ts';
import { CURVE_CENTRES_HZ, type TonalCurve } from './tonal-curve.ts';
import { tonalMoveShapeDb } from './tonal-move-shape.ts';
import { formatHz, formatHzRange, round1, round2, signed } from './wording.ts';

/** A broad move auto mode may make, and the bands it is judged on. */
interface MoveKind {
  readonly shape: EqMove['shape'];
  readonly name: string;
  readonly frequencyHz: number;
  readonly regionHz: readonly [number, number];
}

/**
 * The strokes a mastering engineer reaches for first: a low shelf at 100 Hz, a high shelf at
 * 8 kHz and a tilt about 1 kHz. Narrow problems are the mix's job.
 */
const MOVES: readonly MoveKind[] = [
  { shape: 'lowShelf', name: 'low end', frequencyHz: 100, regionHz: [31.5, 100] },
  { shape: 'highShelf', name: 'top end', frequencyHz: 8000, regionHz: [8000, 16_000] },
  { shape: 'tilt', name: 'overall tilt', frequencyHz: 1000, regionHz: [31.5, 16_000] },
];
/**
 * Ridge penalty per coefficient (low shelf, high shelf, tilt, level), in units of the band
 * weights: it keeps the moves from chasing a song's own character. The tilt, which reaches
 * every band, pays more than the shelves, so a local excess gets a local move. Chosen on the
 * corpus's de-mastered copies (see the quality report) among the settings that also move a
 * shelf for a 4 dB excess in its region. The level is the gain stage's: no penalty.
 */
const RIDGE = [0.25, 0.25, 5, 0] as const;
/** Added in quadrature to each band's spread, so no band outweighs the rest (dB). */
const SPREAD_FLOOR_DB = 0.5;
/** Smaller moves are not worth making (dB, or dB/octave for the tilt). */
const MIN_SHELF_DB = 0.3;
const MIN_TILT_DB_PER_OCTAVE = 0.1;
/** Largest shelf (dB) and tilt (dB/octave) auto mode makes. */
const MAX_SHELF_DB = 6;
const MAX_TILT_DB_PER_OCTAVE = 1.5;

/**
 * Auto mode's tonal EQ: broad moves that bring the mix's tonal balance towards a curve.
 *
 * The deviation from the curve, per band, is fitted by a low shelf, a high shelf, a tilt and a
 * level (weighted ridge regression): each band weighs `1/(spread² + 0.5²)`, where the spread is how much
 * the curve's own songs differ there (`TonalCurve.spreadDb`), so a deviation where real masters
 * differ anyway counts for little. The moves undo `intensity` of the fitted deviation; the
 * level is the gain stage's. Fitting with the shapes the render draws makes the moves exact.
 *
 * @param tonalBalanceDb the mix's 28 bands (`Analysis.tonalBalanceDb`).
 * @param intensityPercent 0 … 100.
 */
export function decideTonalEq(
  tonalBalanceDb: readonly number[],
  curve: TonalCurve,
  intensityPercent: number,
): { moves: EqMove[]; notes: string[] } {
  const bands = CURVE_CENTRES_HZ.map((hz, i) => ({
    hz,
    deviationDb: tonalBalanceDb[i]! - curve.bandsDb[i]!,
    weight: 1 / (curve.spreadDb[i]! ** 2 + SPREAD_FLOOR_DB ** 2),
  })).filter((band) => Number.isFinite(band.deviationDb) && band.deviationDb > -100);
  if (bands.length < CURVE_CENTRES_HZ.length / 2) {
    return { moves: [], notes: ['too little signal to judge the tonal balance: no EQ'] };
  }
  const columns = [
    ...MOVES.map((move) => (hz: number) => tonalMoveShapeDb(move.shape, move.frequencyHz, hz)),
    () => 1,
  ];
  const fitted = weightedRidgeFit(bands, columns);
  const offsetDb = fitted.at(-1)!;
  const share = intensityPercent / 100;
  const moves: EqMove[] = [];
  const kept: string[] = [];
  MOVES.forEach((move, m) => {
    const tilt = move.shape === 'tilt';
    const maxDb = tilt ? MAX_TILT_DB_PER_OCTAVE : MAX_SHELF_DB;
    const gainDb = Math.max(-maxDb, Math.min(maxDb, -share * fitted[m]!));
    const evidence = tilt ? fitted[m]! : regionDeviationDb(bands, move.regionHz, offsetDb);
    const measured = tilt
      ? `${move.name} ${signed(evidence)} dB/octave against the ${curve.name} curve`
      : `${move.name} ${Math.abs(evidence).toFixed(1)} dB ${evidence > 0 ? 'above' : 'below'} the ${curve.name} curve at ${formatHzRange(...move.regionHz)}`;
    if (Math.abs(gainDb) < (tilt ? MIN_TILT_DB_PER_OCTAVE : MIN_SHELF_DB)) {
      kept.push(measured);
      return;
    }
    const rounded = tilt ? round2(gainDb) : round1(gainDb);
    moves.push({
      shape: move.shape,
      frequencyHz: move.frequencyHz,
      gainDb: rounded,
      evidence: {
        regionHz: move.regionHz,
        deviationDb: tilt ? round2(evidence) : round1(evidence),
      },
      reason: `${measured} → ${tilt ? `tilt ${signed(rounded)} dB/octave about ${formatHz(move.frequencyHz)}` : `${move.shape === 'lowShelf' ? 'low' : 'high'} shelf at ${formatHz(move.frequencyHz)} ${signed(rounded)} dB`} (${intensityPercent} % of the fitted deviation, linear phase)`,
    });
  });
  const notes =
    kept.length > 0
      ? [
          `no move of its own (under the smallest worth making once the others are fitted): ${kept.join('; ')}`,
        ]
      : [];
  return { moves, notes };
}

/** The fit's coefficients, one per column: argmin Σ wᵢ(dᵢ − Σ cⱼ·colⱼ(fᵢ))² + Σ RIDGEⱼ·cⱼ². */
function weightedRidgeFit(
  bands: readonly { hz: number; deviationDb: number; weight: number }[],
  columns: readonly ((hz: number) => number)[],
): number[] {
  const n = columns.length;
  const normal = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const rhs = new Array<number>(n).fill(0);
  for (const { hz, deviationDb, weight } of bands) {
    const row = columns.map((column) => column(hz));
    for (let j = 0; j < n; j++) {
      rhs[j]! += weight * row[j]! * deviationDb;
      for (let k = 0; k < n; k++) normal[j]![k]! += weight * row[j]! * row[k]!;
    }
  }
  for (let j = 0; j < n; j++) normal[j]![j]! += RIDGE[j]!;
  return solveLinearSystem(normal, rhs);
}

/** Mean deviation over the bands in `regionHz`, less the fitted level: the shape there (dB). */
function regionDeviationDb(
  bands: readonly { hz: number; deviationDb: number }[],
  [fromHz, toHz]: readonly [number, number],
  offsetDb: number,
): number {
  const inside = bands.filter(({ hz }) => hz >= fromHz && hz <= toHz).map(({ deviationDb }) => deviationDb);
  return inside.reduce((a, b) => a + b, 0) / inside.length - offsetDb;
}
