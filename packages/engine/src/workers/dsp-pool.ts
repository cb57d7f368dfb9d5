import { kWeightedPower, type PlanarAudio } from '@lacquer/dsp';
import type { FloatFrameFileDescriptor } from '@lacquer/media';
import { Piscina } from 'piscina';
import {
  continuousTruePeaks,
  gridPeaks,
  type PooledAnalysis,
  type ProgrammePeaks,
  pooledAnalysis,
} from './dsp-tasks.ts';
import {
  type FrameAnalysisSide,
  frameAnalysisOfFile,
  type MasterPeaksJob,
  masterPeaksOfFiles,
} from './frame-tasks.ts';

/**
 * Runs DSP jobs beside the caller's thread so that a 2-core machine works on both: the
 * caller computes one part of an analysis or render while the pool computes another. With
 * `threads: 0` every job runs inline (same results, one core).
 *
 * Audio handed to a pool with threads must live in `SharedArrayBuffer`s (see
 * `decodeAudio(path, { shared: true })` of @lacquer/media) so the worker reads it without a
 * copy; other audio still works, copied into the worker for each job.
 */
export interface DspPool {
  /** See `pooledAnalysis`. */
  analysis(audio: PlanarAudio): Promise<PooledAnalysis>;
  weightedPower(audio: PlanarAudio): Promise<Float32Array>;
  /** See `continuousTruePeaks`; `gainCurve` must be shared too. */
  continuousTruePeaks(audio: PlanarAudio, gainCurve: Float32Array, gainLinear: number): Promise<number[]>;
  /** See `gridPeaks`. */
  gridPeaks(audio: PlanarAudio): Promise<ProgrammePeaks>;
  /** See `frameAnalysisSide`: the programme file opened where the job runs. */
  frameAnalysis(programme: FloatFrameFileDescriptor): Promise<FrameAnalysisSide>;
  /** See `masterPeaksOf`: the files opened where the job runs. */
  masterPeaks(job: MasterPeaksJob): Promise<ProgrammePeaks>;
  close(): Promise<void>;
}

/** Options of {@link createDspPool}. */
export interface DspPoolOptions {
  /** Worker threads, 0 … 8 (default 1: with the caller's thread, two cores busy). */
  readonly threads?: number;
}

/** A pool of no threads: every job runs inline, when it is called. */
export const INLINE_POOL: DspPool = {
  analysis: async (audio) => pooledAnalysis(audio),
  weightedPower: async (audio) => kWeightedPower(audio),
  continuousTruePeaks: async (audio, gainCurve, gainLinear) =>
    continuousTruePeaks(audio, gainCurve, gainLinear),
  gridPeaks: async (audio) => gridPeaks(audio),
  frameAnalysis: async (programme) => frameAnalysisOfFile(programme),
  masterPeaks: async (job) => masterPeaksOfFiles(job),
  close: async () => {},
};

/** Creates a pool (piscina); call `close()` when done so the process can exit. */
export function createDspPool(options: DspPoolOptions = {}): DspPool {
  const threads = options.threads ?? 1;
  if (threads === 0) return INLINE_POOL;
  const piscina = new Piscina({ filename: workerFilename().href, minThreads: threads, maxThreads: threads });
  return {
    analysis: (audio) => piscina.run(audio, { name: 'analysis' }),
    weightedPower: (audio) => piscina.run(audio, { name: 'power' }),
    continuousTruePeaks: (audio, gainCurve, gainLinear) =>
      piscina.run({ audio, gainCurve, gainLinear }, { name: 'peaks' }),
    gridPeaks: (audio) => piscina.run(audio, { name: 'truePeaks' }),
    frameAnalysis: (programme) => piscina.run(programme, { name: 'frameAnalysis' }),
    masterPeaks: (job) => piscina.run(job, { name: 'masterPeaks' }),
    close: () => piscina.close(),
  };
}

/** The worker entry beside this module: through tsx from the sources, plain in a bundle. */
function workerFilename(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './dsp-worker-source.mjs' : './dsp-worker.js', import.meta.url);
}
