/**
 * A target tonal balance: the long-term 1/3-octave spectrum a finished master is compared
 * against, in dB relative to its integrated loudness (band level − LUFS), by ISO 266
 * nominal band centre.
 */
export interface TonalCurve {
  readonly name: string;
  readonly source: string;
  /** `[nominalCentreFrequencyHz, levelRelativeToLoudnessDb]`, ascending. */
  readonly bandsDb: readonly (readonly [number, number])[];
}

/**
 * "balanced": the mean of the six full mixes of the project corpus (`../shared/corpus`:
 * Sectoid and Muldjord, rock and metal, mastered loud), measured with
 * `measureThirdOctaveSpectrum` (Welch, Hann, no overlap, channels averaged) and each
 * normalized by its integrated loudness. Six songs of one genre: a first, honest curve that
 * the quality work (issue 4) replaces with a wider, documented set.
 */
export const BALANCED_CURVE: TonalCurve = {
  name: 'balanced',
  source: 'mean long-term spectrum of the 6 corpus full mixes, normalized to their integrated loudness',
  bandsDb: [
    [31.5, -30.7],
    [40, -24.2],
    [50, -19.5],
    [63, -15.8],
    [80, -15.7],
    [100, -14.0],
    [125, -13.6],
    [160, -13.5],
    [200, -12.9],
    [250, -15.7],
    [315, -17.3],
    [400, -18.3],
    [500, -22.1],
    [630, -20.7],
    [800, -21.0],
    [1000, -22.7],
    [1250, -22.1],
    [1600, -21.1],
    [2000, -19.1],
    [2500, -17.6],
    [3150, -17.7],
    [4000, -17.9],
    [5000, -20.7],
    [6300, -23.4],
    [8000, -24.8],
    [10000, -26.6],
    [12500, -28.3],
    [16000, -32.0],
  ],
};
