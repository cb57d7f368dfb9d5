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

// Worker entry of the DSP pool: the tasks of `dsp-tasks.ts`, with large results moved (not
// copied) back to the caller.

export function analysis(audio: PlanarAudio): PooledAnalysis {
  return pooledAnalysis(audio);
}

export function power(audio: PlanarAudio) {
  return Piscina.move(kWeightedPower(audio));
}

export function peaks(task: { audio: PlanarAudio; gainCurve: Float32Array; gainLinear: number }): number[] {
  return continuousTruePeaks(task.audio, task.gainCurve, task.gainLinear);
}

export function truePeaks(audio: PlanarAudio): ProgrammePeaks {
  return gridPeaks(audio);
}

export function frameAnalysis(programme: FloatFrameFileDescriptor): FrameAnalysisSide {
  return frameAnalysisOfFile(programme);
}

export function masterPeaks(job: MasterPeaksJob): ProgrammePeaks {
  return masterPeaksOfFiles(job);
}
