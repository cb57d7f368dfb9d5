import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Analysis,
  createDspPool,
  isLongProgramme,
  longProgrammeSecondsOf,
  type MasteringPlan,
  type OutputMeasures,
  type RenderReport,
  renderMaster,
  renderMasterFrames,
} from '@lacquer/engine';
import {
  assertSupportedAudio,
  createFloatFrameFile,
  createWavBlockWriter,
  decodeAudio,
  decodeToFrameFile,
  encodeAudio,
  type FloatFrameFile,
  probeAudio,
} from '@lacquer/media';

/** Input of {@link renderMasterFile}. */
export interface RenderMasterFileInput {
  readonly inputPath: string;
  readonly plan: MasteringPlan;
  readonly loudestSection: Analysis['loudestSection'];
  /** Where master.wav and preview.mp3 are written. */
  readonly outDir: string;
  /** Longer audio fails with `MEDIA_TOO_LONG`. */
  readonly maxDurationSeconds: number;
  /**
   * Programmes longer than this (seconds, as probed), or of unknown length, are rendered from
   * a scratch file on disk in memory that does not grow with their length
   * (`renderMasterFrames`); default: `LACQUER_LONG_FILE_SECONDS` of the environment, else 600.
   */
  readonly longFileSeconds?: number;
}

/** What {@link renderMasterFile} produced besides the files. */
export interface RenderedMasterFile {
  readonly masterPath: string;
  readonly previewPath: string;
  readonly output: OutputMeasures;
  readonly render: RenderReport;
  /** Wall time per stage (decode, render, preview, encode), seconds. */
  readonly stageSeconds: Readonly<Record<string, number>>;
  /** Whether the programme went the long way (`renderMasterFrames`). */
  readonly longProgramme: boolean;
}

/** Seed of the 16-bit dither, as `encodeAudio` uses; unused by the 24-bit master. */
const DITHER_SEED = 0x4c41_4351;

/**
 * Worker-thread task: renders the plan with the engine and writes master.wav (24-bit PCM at
 * the input's rate) and preview.mp3 (320 kbps).
 *
 * The mix is probed first and refused before anything is decoded when Lacquer cannot master
 * it (more than 2 channels, a rate outside 8 … 384 kHz; the decoder refuses a declared duration
 * over `maxDurationSeconds` before decoding too). A short mix is decoded into memory and
 * rendered there (`renderMaster`, with a DSP pool of one more thread, as in the CLI). A long
 * one is decoded to a scratch directory in `outDir` and rendered in passes over it
 * (`renderMasterFrames`: the same master, in memory that does not grow with its length; the
 * peaks measured in the pool's thread beside the passes), the master written as a 24-bit WAV
 * block by block; the scratch files are removed at the end.
 *
 * @throws LacquerError from probing, decoding, rendering or encoding (`MEDIA_*`, `ENGINE_*`);
 *   `CONFIG_INVALID` for a bad `LACQUER_LONG_FILE_SECONDS`.
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
  const longFileSeconds = input.longFileSeconds ?? longProgrammeSecondsOf(process.env);
  const probe = await probeAudio(input.inputPath);
  assertSupportedAudio(probe);
  const decodeOptions = { maxDurationSeconds: input.maxDurationSeconds };
  if (isLongProgramme(probe.durationSeconds, longFileSeconds)) {
    const rendered = await renderLong(input, masterPath, previewPath, timed, stageSeconds);
    return { ...rendered, stageSeconds, longProgramme: true };
  }

  const pool = createDspPool();
  try {
    const audio = await timed('decode', () =>
      decodeAudio(input.inputPath, { shared: true, ...decodeOptions }),
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
    return {
      masterPath,
      previewPath,
      output: rendered.output,
      render: rendered.render,
      stageSeconds,
      longProgramme: false,
    };
  } finally {
    await pool.close();
  }
}

/** The long-programme way of {@link renderMasterFile}. */
async function renderLong(
  input: RenderMasterFileInput,
  masterPath: string,
  previewPath: string,
  timed: <T>(stage: string, work: () => Promise<T>) => Promise<T>,
  stepSeconds: Record<string, number>,
): Promise<Omit<RenderedMasterFile, 'stageSeconds' | 'longProgramme'>> {
  const directory = await mkdtemp(join(input.outDir, '.render-'));
  const files: FloatFrameFile[] = [];
  const pool = createDspPool();
  try {
    const programme = await timed('decode', () =>
      decodeToFrameFile(input.inputPath, { directory, maxDurationSeconds: input.maxDurationSeconds }),
    );
    files.push(programme);
    const { sampleRateHz, channelCount, lengthSamples } = programme;
    const master = createWavBlockWriter(masterPath, {
      sampleFormat: 'pcm24',
      channelCount,
      sampleRateHz,
      lengthSamples,
      ditherSeed: DITHER_SEED,
    });
    try {
      const rendered = await renderMasterFrames(
        input.plan,
        input.loudestSection,
        {
          programme,
          createScratch: (name) => {
            const file = createFloatFrameFile({ directory, name, channelCount: 1, sampleRateHz });
            files.push(file);
            return file;
          },
          writeMaster: (block) => master.write(block),
        },
        { stepSeconds, pool },
      );
      master.finish();
      await timed('encode', () =>
        encodeAudio(rendered.preview, previewPath, { container: 'mp3', bitrateKbps: 320 }),
      );
      return { masterPath, previewPath, output: rendered.output, render: rendered.render };
    } finally {
      master.abort();
    }
  } finally {
    await pool.close();
    for (const file of files) file.remove();
    await rm(directory, { recursive: true, force: true });
  }
}
