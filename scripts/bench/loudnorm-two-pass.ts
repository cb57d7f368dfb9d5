import { type MeasuredRun, runMeasured } from './run-measured.ts';

/** What {@link loudnormTwoPass} does: normalise `inputPath` into `outputPath`. */
export interface LoudnormTwoPassOptions {
  readonly inputPath: string;
  /** Written as 24-bit PCM WAV at `sampleRateHz`. */
  readonly outputPath: string;
  readonly targetLufs: number;
  readonly ceilingDbtp: number;
  /**
   * The input's sample rate: loudnorm works (and outputs) at 192 kHz; `-ar` resamples back (ffmpeg's
   * aresample at the end of the graph: an explicit `aresample` after loudnorm fails to configure
   * in its dynamic mode on float WAV input, "Cannot select channel layout", ffmpeg 5.1).
   */
  readonly sampleRateHz: number;
}

/** Both passes as one run: wall times summed, peak memory the larger of the two. */
export interface LoudnormRun extends MeasuredRun {
  /** What the second pass did: `linear` (one gain) or `dynamic` (its fallback when the true peak would exceed). */
  readonly normalizationType: string;
}

/** ffmpeg's loudnorm target loudness range, LU: the value the benchmarks and the quality report use. */
const LOUDNORM_RANGE_LU = 11;

/** The last JSON object loudnorm printed (`print_format=json`) in a run's output. */
function loudnormJson(run: MeasuredRun): Record<string, string> {
  return JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('{'), run.stdout.lastIndexOf('}') + 1));
}

/**
 * ffmpeg two-pass loudnorm, the usual way: pass 1 measures (`print_format=json`), pass 2
 * applies the measured values with `linear=true` (one gain when the true peak allows it, else
 * loudnorm falls back to its dynamic mode), resampled back to the input's rate.
 * Both passes are measured with {@link runMeasured}; rejects when either fails.
 */
export async function loudnormTwoPass(options: LoudnormTwoPassOptions): Promise<LoudnormRun> {
  const { inputPath, outputPath, targetLufs, ceilingDbtp, sampleRateHz } = options;
  const target = `I=${targetLufs}:TP=${ceilingDbtp}:LRA=${LOUDNORM_RANGE_LU}`;
  // biome-ignore format: one ffmpeg option per line pair reads better
  const first = await runMeasured([
    'ffmpeg', '-hide_banner', '-nostats',
    '-i', inputPath,
    '-af', `loudnorm=${target}:print_format=json`,
    '-f', 'null', '-',
  ]);
  const measured = loudnormJson(first);
  const apply = `loudnorm=${target}:linear=true:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:print_format=json`;
  // biome-ignore format: one ffmpeg option per line pair reads better
  const second = await runMeasured([
    'ffmpeg', '-hide_banner', '-nostats', '-y',
    '-i', inputPath,
    '-af', apply,
    '-ar', String(sampleRateHz),
    '-c:a', 'pcm_s24le',
    outputPath,
  ]);
  return {
    command: `ffmpeg loudnorm two-pass (${target}, linear) → ${outputPath}`,
    wallSeconds: first.wallSeconds + second.wallSeconds,
    peakTreeRssMb: Math.max(first.peakTreeRssMb, second.peakTreeRssMb),
    peakMainRssMb: Math.max(first.peakMainRssMb, second.peakMainRssMb),
    stdout: '',
    normalizationType: loudnormJson(second).normalization_type ?? 'unknown',
  };
}
