/**
 * The tonal-balance metric of Lacquer, defined here once (the quality report and the issue
 * tracker cite this definition):
 *
 * 1. Long-term power spectrum by Welch (1967): periodic Hann segments of 32768 samples (at
 *    every sample rate), 50 % overlap, the channels' power spectra averaged (not a downmix),
 *    no activity gate (see `measureWelchPowerSpectrum`).
 * 2. Power in the 28 one-third-octave bands 31.5 Hz … 16 kHz (ISO 266 nominal centres; exact
 *    base-2 centres 1000·2^(k/3), k = −15 … 12, edges centre·2^(±1/6), IEC 61260-1:2014 §5.4),
 *    each FFT bin a rectangle one bin wide split between bands by overlap, conserving power.
 * 3. Band level (dB re full-scale mean square) minus the programme's gated integrated loudness
 *    (ITU-R BS.1770-4 §2.5, LUFS): both programmes brought to equal integrated loudness.
 * 4. Tonal distance = RMS over the 28 bands of the per-band dB differences.
 *
 * The segment is 32768 samples at every rate (1.35 Hz bins at 44.1 kHz, 2.9 Hz at 96 kHz), and
 * the rate must be at least 35.92 kHz so that the 16 kHz band's upper edge, 17.96 kHz, lies
 * under Nyquist. Because the bands average the channels while BS.1770 sums them, programmes
 * of different channel counts differ by a constant `10·log10` of the count ratio (mono
 * against its dual-mono stereo: 3.01 dB in every band): compare like with like.
 *
 * @module
 */
import { assertParameter, assertPlanarAudio } from './assert-planar-audio.ts';
import { powerToDb } from './decibels.ts';
import { integratedLoudness } from './loudness-analyzer.ts';
import { createLoudnessMeter } from './loudness-meter.ts';
import type { PlanarAudio } from './planar-audio.ts';
import {
  binnedBandPower,
  FIRST_NOMINAL_BAND_INDEX,
  NOMINAL_THIRD_OCTAVE_CENTRES_HZ,
  thirdOctaveBandEdges,
} from './third-octave-bands.ts';
import { measureWelchPowerSpectrum, type PowerSpectrum } from './welch-power-spectrum.ts';

/** Band index k (1 kHz is 0) of the lowest tonal-balance band, 31.5 Hz. */
const FIRST_BAND_INDEX = -15;
const BAND_COUNT = 28;
/** The definition's segment, regardless of the sample rate: 1.35 Hz bins at 44.1 kHz. */
const SEGMENT_SAMPLES = 32_768;
const OVERLAP_RATIO = 0.5;
const BANDS = Array.from({ length: BAND_COUNT }, (_, i) => thirdOctaveBandEdges(FIRST_BAND_INDEX + i));
/** Upper edge of the 16 kHz band, 17.96 kHz: the Nyquist frequency must reach it. */
const TOP_EDGE_HZ = BANDS[BAND_COUNT - 1]!.upperEdgeFrequencyHz;

/** ISO 266 nominal centres of the 28 one-third-octave bands 31.5 Hz … 16 kHz, ascending. */
export const TONAL_BALANCE_CENTRES_HZ: readonly number[] = NOMINAL_THIRD_OCTAVE_CENTRES_HZ.slice(
  FIRST_BAND_INDEX - FIRST_NOMINAL_BAND_INDEX,
  FIRST_BAND_INDEX - FIRST_NOMINAL_BAND_INDEX + BAND_COUNT,
);

/** A programme's long-term spectral balance, loudness-normalised (see the module's definition). */
export interface TonalBalance {
  /**
   * Per band of {@link TONAL_BALANCE_CENTRES_HZ}: the band's mean-square power level (dB re
   * full scale, averaged over channels) minus the programme's integrated loudness (LUFS), in
   * dB; 28 values, ascending frequency. `-Infinity` when the band is empty, and in every band
   * when the integrated loudness is `-Infinity` (silence, or under 400 ms).
   *
   * The band levels average the channels while BS.1770 sums them: a dual-mono stereo file
   * reads 3.01 dB below its mono version in every band (the same for any channel count `C`:
   * `10·log10 C` for `C` identical channels), so compare programmes of equal channel count.
   */
  readonly bandsDb: readonly number[];
  /** Gated integrated loudness, ITU-R BS.1770-4 §2.5, LUFS. */
  readonly integratedLufs: number;
}

/**
 * The {@link TonalBalance} of a programme, by the project's definition (this module's
 * header): Welch spectrum with 32768-sample periodic Hann segments at 50 % overlap, channels
 * averaged, 28 one-third-octave bands 31.5 Hz … 16 kHz, relative to BS.1770-4 integrated
 * loudness. Cost: about one complex FFT of 32768 per segment (3 min stereo at 44.1 kHz: 483)
 * plus one K-weighting pass.
 *
 * @param audio 1 to 8 channels, `sampleRateHz` at least 35.92 kHz (2 × 17.96 kHz, the upper
 *   edge of the 16 kHz band) and at most 768 kHz.
 * @throws LacquerError `DSP_INVALID_PARAMETER` for invalid audio, a rate under 35.92 kHz or
 *   over 768 kHz, or more than 8 channels.
 */
export function measureTonalBalance(audio: PlanarAudio): TonalBalance {
  assertPlanarAudio(audio, 'measureTonalBalance');
  assertBandsBelowNyquist(audio.sampleRateHz, 'measureTonalBalance');
  const meter = createLoudnessMeter({
    sampleRateHz: audio.sampleRateHz,
    channelCount: audio.channels.length,
  });
  meter.push(audio.channels);
  const spectrum = measureWelchPowerSpectrum(audio, {
    segmentSamples: SEGMENT_SAMPLES,
    overlapRatio: OVERLAP_RATIO,
  });
  return tonalBalanceOfSpectrum(spectrum, integratedLoudness(meter.hopEnergies()));
}

/**
 * The {@link TonalBalance} of an already measured spectrum and integrated loudness. Steps 2–3
 * of the definition; a spectrum other than step 1's (another segment size, a gate, mid or
 * side) gives figures of the same kind but not the definition's.
 *
 * @param integratedLufs finite, or `-Infinity` (every band then reads `-Infinity`).
 * @throws LacquerError `DSP_INVALID_PARAMETER` when the spectrum's Nyquist frequency is under
 *   17.96 kHz or `integratedLufs` is NaN or `+Infinity`.
 */
export function tonalBalanceOfSpectrum(spectrum: PowerSpectrum, integratedLufs: number): TonalBalance {
  assertBandsBelowNyquist(spectrum.sampleRateHz, 'tonalBalanceOfSpectrum');
  assertParameter(
    Number.isFinite(integratedLufs) || integratedLufs === Number.NEGATIVE_INFINITY,
    'tonalBalanceOfSpectrum',
    'integratedLufs',
    integratedLufs,
  );
  const bandsDb = BANDS.map((band) => {
    if (integratedLufs === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
    const power = binnedBandPower(
      spectrum.powers,
      spectrum.binWidthHz,
      band.lowerEdgeFrequencyHz,
      band.upperEdgeFrequencyHz,
    );
    return powerToDb(power) - integratedLufs;
  });
  return { bandsDb, integratedLufs };
}

/**
 * Tonal distance between two balances, dB: the RMS over the 28 bands of
 * `a.bandsDb[i] − b.bandsDb[i]`. 0 for a programme and any gain-changed copy of it; a tilt
 * of t dB per octave gives at least 2.69·|t| dB (the RMS about the bands' mean, 9 octaves;
 * the loudness normalisation can add an offset).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` when either balance has a non-finite band (an
 *   empty band or a silent programme) or not 28 bands.
 */
export function tonalDistanceDb(a: TonalBalance, b: TonalBalance): number {
  assertFiniteBands(a, 'a');
  assertFiniteBands(b, 'b');
  let sumSquaresDb2 = 0;
  for (let i = 0; i < BAND_COUNT; i++) {
    const differenceDb = a.bandsDb[i]! - b.bandsDb[i]!;
    sumSquaresDb2 += differenceDb * differenceDb;
  }
  return Math.sqrt(sumSquaresDb2 / BAND_COUNT);
}

function assertBandsBelowNyquist(sampleRateHz: number, what: string): void {
  assertParameter(sampleRateHz / 2 >= TOP_EDGE_HZ, what, 'sampleRateHz (need ≥ 35.92 kHz)', sampleRateHz);
}

function assertFiniteBands(balance: TonalBalance, name: string): void {
  const { bandsDb } = balance;
  const bad = bandsDb.findIndex((levelDb) => !Number.isFinite(levelDb));
  assertParameter(
    bandsDb.length === BAND_COUNT && bad < 0,
    'tonalDistanceDb',
    `${name}.bandsDb`,
    bad < 0 ? `${bandsDb.length} bands` : `${TONAL_BALANCE_CENTRES_HZ[bad]} Hz band: ${bandsDb[bad]}`,
  );
}
