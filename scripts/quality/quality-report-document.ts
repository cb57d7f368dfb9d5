import type { MachineInfo } from './machine-info.ts';
import type { QualityRow } from './quality-row.ts';
import type { QualitySummary } from './quality-summary.ts';

/** The tonal distance of the report, in words (defined in packages/dsp/src/tonal-balance.ts). */
export const TONAL_DISTANCE_DEFINITION =
  'Tonal distance (dB) is the RMS over 28 one-third-octave bands (31.5 Hz to 16 kHz, ISO 266 centres) of the ' +
  'per-band level differences of two programmes, each band level taken relative to its programme’s integrated ' +
  'loudness (ITU-R BS.1770-4), i.e. both programmes at equal integrated loudness. Band levels come from a ' +
  'Welch long-term power spectrum: Hann windows of 32768 samples, 50 % overlap, the channels’ spectra averaged ' +
  '(`measureTonalBalance` and `tonalDistanceDb` in @lacquer/dsp). 0 dB means the same tone; a tilt of t dB ' +
  'per octave reads about 2.7·t dB.';

/** Everything `pnpm quality` writes to `quality-report.json` (the Markdown is made from it). */
export interface QualityReport {
  /** ISO 8601. */
  readonly generatedAt: string;
  /** Wall time of the whole report, seconds. */
  readonly totalSeconds: number;
  readonly corpusDir: string;
  /** The songs the cases ran on (`<artist>/<song>`). */
  readonly songs: readonly string[];
  readonly skipLong: boolean;
  readonly machine: MachineInfo;
  /** The ffmpeg filters that made the inputs from the stems. */
  readonly filters: {
    readonly fullMix: string;
    readonly unmasteredMix: string;
    readonly deMastering: string;
  };
  readonly tonalDistanceDefinition: string;
  readonly summary: QualitySummary;
  readonly rows: readonly QualityRow[];
}
