import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type Analysis,
  analyze,
  analyzeFrames,
  createDspPool,
  isLongProgramme,
  longProgrammeSecondsOf,
} from '@lacquer/engine';
import { assertSupportedAudio, decodeAudio, decodeToFrameFile, probeAudio } from '@lacquer/media';

/** Input of {@link analyzeFiles}. */
export interface AnalyzeFilesInput {
  readonly inputPath: string;
  readonly referencePath: string | null;
  /** Longer audio fails with `MEDIA_TOO_LONG`. */
  readonly maxDurationSeconds: number;
  /**
   * Programmes longer than this (seconds, as probed), or of unknown length, are analyzed from
   * a scratch file on disk in memory that does not grow with their length (`analyzeFrames`);
   * default: `LACQUER_LONG_FILE_SECONDS` of the environment, else 600 (`longProgrammeSecondsOf`).
   */
  readonly longFileSeconds?: number;
}

/** What {@link analyzeFiles} measured. */
export interface AnalyzedFiles {
  readonly input: Analysis;
  readonly reference: Analysis | null;
}

/**
 * Worker-thread task: analyzes the mix (and the reference) with the engine. Runs in the
 * analyzer's task pool, off the event loop.
 *
 * Each file is probed first and refused before anything is decoded when Lacquer cannot master
 * it (more than 2 channels, a rate outside 8 … 384 kHz; the decoder refuses a declared
 * duration over `maxDurationSeconds` before decoding too). A short file is decoded into memory
 * and analyzed there (`analyze`); a long one is decoded to a scratch file beside it, analyzed
 * in passes over that file (`analyzeFrames`, the same figures; its frame-reading half in a
 * DSP pool of one more thread, as the mastering task and the CLI run theirs), and the file
 * removed.
 *
 * @throws LacquerError `MEDIA_CHANNELS_UNSUPPORTED`, `MEDIA_SAMPLE_RATE_UNSUPPORTED`,
 *   `MEDIA_TOO_LONG` and the other `MEDIA_*` of probing and decoding, as the media package
 *   documents; `CONFIG_INVALID` for a bad `LACQUER_LONG_FILE_SECONDS`.
 */
export async function analyzeFiles(input: AnalyzeFilesInput): Promise<AnalyzedFiles> {
  const longFileSeconds = input.longFileSeconds ?? longProgrammeSecondsOf(process.env);
  const measure = async (path: string): Promise<Analysis> => {
    const probe = await probeAudio(path);
    assertSupportedAudio(probe);
    const decodeOptions = { maxDurationSeconds: input.maxDurationSeconds };
    if (!isLongProgramme(probe.durationSeconds, longFileSeconds)) {
      return (await analyze(await decodeAudio(path, decodeOptions))).analysis;
    }
    const directory = await mkdtemp(join(dirname(path), '.analyze-'));
    const pool = createDspPool();
    try {
      const programme = await decodeToFrameFile(path, { ...decodeOptions, directory });
      try {
        return (await analyzeFrames(programme, pool)).analysis;
      } finally {
        programme.remove();
      }
    } finally {
      await pool.close();
      await rm(directory, { recursive: true, force: true });
    }
  };
  return {
    input: await measure(input.inputPath),
    reference: input.referencePath ? await measure(input.referencePath) : null,
  };
}
