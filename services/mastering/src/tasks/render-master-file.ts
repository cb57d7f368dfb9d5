import { join } from 'node:path';
import {
  type Analysis,
  createDspPool,
  type MasteringPlan,
  type OutputMeasures,
  type RenderReport,
  renderMaster,
} from '@lacquer/engine';
import { decodeAudio, encodeAudio } from '@lacquer/media';

/** Input of {@link renderMasterFile}. */
export interface RenderMasterFileInput {
  readonly inputPath: string;
  readonly plan: MasteringPlan;
  readonly loudestSection: Analysis['loudestSection'];
  /** Where master.wav and preview.mp3 are written. */
  readonly outDir: string;
  /** Longer audio fails with `MEDIA_TOO_LONG`. */
  readonly maxDurationSeconds: number;
}

/** What {@link renderMasterFile} produced besides the files. */
export interface RenderedMasterFile {
  readonly masterPath: string;
  readonly previewPath: string;
  readonly output: OutputMeasures;
  readonly render: RenderReport;
  /** Wall time per stage (decode, render, preview, encode), seconds. */
  readonly stageSeconds: Readonly<Record<string, number>>;
}

/**
 * Worker-thread task: decodes the mix, renders the plan with the engine (its DSP pool adds
 * one more thread, as in the CLI), and writes master.wav (24-bit PCM at the input's rate)
 * and preview.mp3 (320 kbps).
 *
 * @throws LacquerError from decoding, rendering or encoding (`MEDIA_*`, `ENGINE_*`).
 */
export async function renderMasterFile(input: RenderMasterFileInput): Promise<RenderedMasterFile> {
  const stageSeconds: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    stageSeconds[stage] = (performance.now() - start) / 1000;
    return result;
  };
  const masterPath = join(input.outDir, 'master.wav');
  const previewPath = join(input.outDir, 'preview.mp3');
  const pool = createDspPool();
  try {
    const audio = await timed('decode', () =>
      decodeAudio(input.inputPath, { shared: true, maxDurationSeconds: input.maxDurationSeconds }),
    );
    const rendered = await renderMaster(audio, input.plan, input.loudestSection, {
      pool,
      stepSeconds: stageSeconds,
      deliver: (master, preview) =>
        timed('encode', async () => {
          await Promise.all([
            encodeAudio(master, masterPath, { container: 'wav', sampleFormat: 'pcm24' }),
            encodeAudio(preview, previewPath, { container: 'mp3', bitrateKbps: 320 }),
          ]);
        }),
    });
    return { masterPath, previewPath, output: rendered.output, render: rendered.render, stageSeconds };
  } finally {
    await pool.close();
  }
}
