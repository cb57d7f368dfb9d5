import { type Analysis, analyze } from '@lacquer/engine';
import { decodeAudio } from '@lacquer/media';

/** Input of {@link analyzeFiles}. */
export interface AnalyzeFilesInput {
  readonly inputPath: string;
  readonly referencePath: string | null;
  /** Longer audio fails with `MEDIA_TOO_LONG`. */
  readonly maxDurationSeconds: number;
}

/** What {@link analyzeFiles} measured. */
export interface AnalyzedFiles {
  readonly input: Analysis;
  readonly reference: Analysis | null;
}

/**
 * Worker-thread task: decodes the mix (and the reference) and analyzes each with the engine.
 * Runs in the analyzer's task pool, off the event loop.
 *
 * @throws LacquerError from decoding (`MEDIA_*`), as the media package documents.
 */
export async function analyzeFiles(input: AnalyzeFilesInput): Promise<AnalyzedFiles> {
  const measure = async (path: string): Promise<Analysis> => {
    const audio = await decodeAudio(path, { maxDurationSeconds: input.maxDurationSeconds });
    return (await analyze(audio)).analysis;
  };
  return {
    input: await measure(input.inputPath),
    reference: input.referencePath ? await measure(input.referencePath) : null,
  };
}
