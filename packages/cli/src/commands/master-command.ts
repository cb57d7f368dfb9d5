import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createDspPool,
  type DeliveryTarget,
  levelSummary,
  type MasteredTrack,
  type MasteringStep,
  masterTrack,
  resolveTarget,
  toJson,
} from '@lacquer/engine';
import { decodeAudio, encodeAudio } from '@lacquer/media';
import { createProgress } from '../progress.ts';

/** Options of `lacquer master`. */
export interface MasterCommandOptions {
  readonly out: string;
  readonly reference?: string;
  readonly preset?: string;
  readonly targetLufs?: number;
  readonly ceilingDbtp?: number;
  readonly intensity?: number;
  readonly style?: string;
  readonly toneAmount?: number;
  readonly widthAmount?: number;
  readonly densityAmount?: number;
}

const STEP_WORDS: Record<MasteringStep, string> = {
  analyze: 'analyzing the mix',
  analyzeReference: 'analyzing the reference',
  decide: 'deciding the moves',
  render: 'rendering and fitting loudness',
  preview: 'cutting the preview',
};

/**
 * `lacquer master <input> --out <dir>`: masters a file in-process and writes
 * `master.wav` (24-bit PCM at the input's rate), `preview.mp3` (the loudest 30 s, faded,
 * 320 kbps), `analysis.json`, `decision.json` and `report.json` into `<dir>`.
 * Progress goes to stderr; the last stdout line is a one-line summary.
 */
export async function masterCommand(input: string, options: MasterCommandOptions): Promise<void> {
  const progress = createProgress();
  const target = resolveTarget({
    ...(options.preset === undefined ? {} : { preset: options.preset }),
    ...(options.targetLufs === undefined ? {} : { integratedLufs: options.targetLufs }),
    ...(options.ceilingDbtp === undefined ? {} : { truePeakCeilingDbtp: options.ceilingDbtp }),
  });
  const seconds: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    seconds[stage] = (performance.now() - start) / 1000;
    return result;
  };

  progress.step(`decoding ${input}`);
  const outDir = resolve(options.out);
  const masterPath = join(outDir, 'master.wav');
  const pool = createDspPool();
  try {
    const audio = await timed('decode', () => decodeAudio(input, { shared: true }));
    const referencePath = options.reference;
    const reference = referencePath
      ? await timed('decodeReference', () => decodeAudio(referencePath, { shared: true }))
      : undefined;
    const mastered = await masterTrack(audio, {
      target,
      pool,
      ...(reference ? { reference } : {}),
      ...(options.intensity === undefined ? {} : { intensityPercent: options.intensity }),
      ...(options.style === undefined ? {} : { style: options.style }),
      amounts: {
        ...(options.toneAmount === undefined ? {} : { tonePercent: options.toneAmount }),
        ...(options.widthAmount === undefined ? {} : { widthPercent: options.widthAmount }),
        ...(options.densityAmount === undefined ? {} : { densityPercent: options.densityAmount }),
      },
      onStep: (step) => progress.step(STEP_WORDS[step]),
      deliver: (master, preview) => {
        progress.step('writing master.wav and preview.mp3');
        return timed('encode', async () => {
          await mkdir(outDir, { recursive: true });
          await Promise.all([
            encodeAudio(master, masterPath, { container: 'wav', sampleFormat: 'pcm24' }),
            encodeAudio(preview, join(outDir, 'preview.mp3'), { container: 'mp3', bitrateKbps: 320 }),
          ]);
        });
      },
    });
    Object.assign(seconds, mastered.stepSeconds);
    await writeReports(outDir, input, options, target, mastered, seconds);
    const { integratedLufs, truePeakDbtp } = mastered.output;
    progress.done('done');
    process.stdout.write(
      `master: ${masterPath}\n  integrated ${integratedLufs.toFixed(1)} LUFS (target ${target.integratedLufs}), true peak ${truePeakDbtp.toFixed(2)} dBTP (ceiling ${target.truePeakCeilingDbtp})\n`,
    );
  } finally {
    await pool.close();
  }
}

/** analysis.json, decision.json and report.json. */
async function writeReports(
  outDir: string,
  input: string,
  options: MasterCommandOptions,
  target: DeliveryTarget,
  mastered: MasteredTrack,
  seconds: Record<string, number>,
): Promise<void> {
  const report = {
    input: resolve(input),
    reference: options.reference ? resolve(options.reference) : null,
    target,
    inputMeasures: levelSummary(mastered.analysis, mastered.analysis),
    outputMeasures: mastered.output,
    render: mastered.render,
    stageSeconds: seconds,
    totalSeconds: Object.values(seconds).reduce((a, b) => a + b, 0),
  };
  await Promise.all([
    writeFile(
      join(outDir, 'analysis.json'),
      toJson({ input: mastered.analysis, reference: mastered.referenceAnalysis }, 2),
    ),
    writeFile(join(outDir, 'decision.json'), toJson(mastered.plan, 2)),
    writeFile(join(outDir, 'report.json'), toJson(report, 2)),
  ]);
}
