import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tonalDistanceDb } from '@lacquer/dsp';
import { probeAudio } from '@lacquer/media';
import { loudnormTwoPass } from '../bench/loudnorm-two-pass.ts';
import type { MeasuredRun } from '../bench/run-measured.ts';
import type { CaseRun } from './cases.ts';
import type { CorpusMixes } from './corpus-mixes.ts';
import { checkRow } from './criteria.ts';
import { lacquerMaster } from './lacquer-master.ts';
import { measureAudio, type TonalBalances } from './measure-output.ts';
import type { QualityRow, RowMeasures } from './quality-row.ts';

/** What {@link runCase} works with. */
export interface CaseContext {
  readonly mixes: CorpusMixes;
  readonly balances: TonalBalances;
  /** Each run's output goes into a folder of its own here, removed once measured. */
  readonly workDir: string;
}

const NOT_MEASURED: RowMeasures = {
  inputSeconds: null,
  tonalBeforeDb: null,
  tonalAfterDb: null,
  integratedLufs: null,
  truePeakDbtp: null,
  loudnessRangeLu: null,
  plrDb: null,
  clippedSamples: null,
  wallSeconds: null,
  peakMemoryMb: null,
};

/** Runs the processor of `run` and measures its output (wall time and memory from outside). */
async function runProcessor(
  run: CaseRun,
  inputPath: string,
  referencePath: string | undefined,
  outDir: string,
): Promise<{ outputPath: string; measured: MeasuredRun; loudnormNormalization: string | null }> {
  const target = { inputPath, targetLufs: run.targetLufs, ceilingDbtp: run.ceilingDbtp };
  if (run.processor === 'lacquer') {
    const { masterPath, run: measured } = await lacquerMaster({
      ...target,
      outDir,
      referencePath: run.mode === 'reference' ? referencePath : undefined,
    });
    return { outputPath: masterPath, measured, loudnormNormalization: null };
  }
  await mkdir(outDir, { recursive: true });
  const outputPath = join(outDir, 'loudnorm.wav');
  const { sampleRateHz } = await probeAudio(inputPath);
  const measured = await loudnormTwoPass({ ...target, outputPath, sampleRateHz });
  return { outputPath, measured, loudnormNormalization: measured.normalizationType };
}

/**
 * One row of the report: makes the input (and reference) if needed and measures the tonal
 * distance between them, runs the processor, then measures its output (ffmpeg's meter, a decode for clipping and tone) and checks it. A failure
 * anywhere is recorded in the row (`error`, the measures it lacks `null`), never thrown.
 */
export async function runCase(run: CaseRun, index: number, context: CaseContext): Promise<QualityRow> {
  const outDir = join(context.workDir, `run-${index}`);
  let measures: RowMeasures = NOT_MEASURED;
  let loudnormNormalization: string | null = null;
  let error: string | null = null;
  try {
    const inputPath = await context.mixes.path(run.input);
    measures = { ...measures, inputSeconds: (await probeAudio(inputPath)).durationSeconds ?? null };
    const referencePath = run.reference && (await context.mixes.path(run.reference));
    const against = await context.balances.of(referencePath ?? inputPath);
    if (referencePath !== undefined) {
      const tonalBeforeDb = tonalDistanceDb(await context.balances.of(inputPath), against);
      measures = { ...measures, tonalBeforeDb };
    }
    const processed = await runProcessor(run, inputPath, referencePath, outDir);
    loudnormNormalization = processed.loudnormNormalization;
    measures = {
      ...measures,
      wallSeconds: processed.measured.wallSeconds,
      peakMemoryMb: processed.measured.peakTreeRssMb,
    };
    const output = await measureAudio(processed.outputPath);
    measures = {
      ...measures,
      integratedLufs: output.integratedLufs,
      truePeakDbtp: output.truePeakDbtp,
      loudnessRangeLu: output.loudnessRangeLu,
      plrDb: output.plrDb,
      clippedSamples: output.clippedSamples,
    };
    measures = { ...measures, tonalAfterDb: tonalDistanceDb(output.tonalBalance, against) };
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  const checks = checkRow(run, measures);
  return {
    ...run,
    ...measures,
    tonalAgainst: run.reference === undefined ? 'input' : 'reference',
    loudnormNormalization,
    error,
    checks,
    pass: error === null && checks.every((check) => check.pass),
  };
}
