import { type Analysis, type AnalysisSeries, analyze, createDspPool, toJson } from '@lacquer/engine';
import { decodeAudio } from '@lacquer/media';
import { seriesPoints } from '../json-output.ts';

/** Options of `lacquer analyze`. */
export interface AnalyzeCommandOptions {
  readonly json?: boolean;
  readonly series?: boolean;
}

/**
 * `lacquer analyze <file> [--json] [--series]`: measures a file and prints one JSON object
 * (with `--json`) or a short summary. `--series` adds `momentarySeries` and
 * `shortTermSeries` as `[[tEndSeconds, LUFS], …]` every 10 ms.
 */
export async function analyzeCommand(file: string, options: AnalyzeCommandOptions): Promise<void> {
  const pool = createDspPool();
  try {
    const audio = await decodeAudio(file, { shared: true });
    const { analysis, series } = await analyze(audio, pool);
    printAnalysis(file, analysis, series, options);
  } finally {
    await pool.close();
  }
}

function printAnalysis(
  file: string,
  analysis: Analysis,
  series: AnalysisSeries,
  options: AnalyzeCommandOptions,
): void {
  if (options.json || options.series) {
    const extra = options.series
      ? { momentarySeries: seriesPoints(series.momentary), shortTermSeries: seriesPoints(series.shortTerm) }
      : {};
    process.stdout.write(`${toJson({ file, ...analysis, ...extra })}\n`);
    return;
  }
  const f = (v: number | null, digits = 1) =>
    v === null || !Number.isFinite(v) ? '-inf' : v.toFixed(digits);
  process.stdout.write(
    [
      `${file}: ${analysis.durationSeconds.toFixed(1)} s, ${analysis.sampleRateHz} Hz, ${analysis.channelCount} ch`,
      `  integrated ${f(analysis.integratedLufs)} LUFS, range ${f(analysis.loudnessRangeLu)} LU, true peak ${f(analysis.truePeakDbtp)} dBTP, PLR ${f(analysis.plrDb)} dB`,
      `  momentary max ${f(analysis.momentaryMaxLufs)} LUFS, short-term max ${f(analysis.shortTermMaxLufs)} LUFS, sample peak ${f(analysis.samplePeakDbfs)} dBFS`,
      `  tempo ${analysis.tempo.tempoBpm === null ? 'n/a' : `${analysis.tempo.tempoBpm.toFixed(1)} BPM`}, key ${analysis.key.label ?? 'n/a'}, loudest 30 s from ${analysis.loudestSection.startSeconds.toFixed(1)} s`,
      '',
    ].join('\n'),
  );
}
