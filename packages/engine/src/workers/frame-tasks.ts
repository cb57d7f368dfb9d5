import {
  createPeakMeter,
  estimateKeyOf,
  type FrameSource,
  type KeyEstimate,
  type LimiterGainCurveOptions,
  measureThirdOctaveSpectrumOf,
  type ThirdOctaveSpectrum,
} from '@lacquer/dsp';
import { type FloatFrameFileDescriptor, openFloatFrameFile } from '@lacquer/media';
import { forEachMasterBlock } from '../fit-frames.ts';
import { passBlockLengthSamples } from '../pass-blocks.ts';
import { measureSpectralFeaturesOf, type SpectralFeatures } from '../spectral-features.ts';
import type { ProgrammePeaks } from './dsp-tasks.ts';

// The DSP jobs of the long-programme path that can run beside the main thread: pure functions
// of programmes on disk, called inline or in a worker (`dsp-worker.ts`), which opens the files
// from their descriptors, with the same results.

/**
 * The part of a long programme's analysis that reads frames where it needs them (the long-term
 * spectra and the key) plus the BS.1770-4 peaks: about half the work of `analyzeFrames`.
 */
export interface FrameAnalysisSide {
  readonly spectrum: ThirdOctaveSpectrum;
  readonly spectral: SpectralFeatures;
  readonly key: KeyEstimate;
  readonly peaks: ProgrammePeaks;
}

/** {@link FrameAnalysisSide} of a programme (one pass for the peaks, reads for the rest). */
export function frameAnalysisSide(source: FrameSource): FrameAnalysisSide {
  return {
    spectrum: measureThirdOctaveSpectrumOf(source),
    spectral: measureSpectralFeaturesOf(source),
    key: estimateKeyOf(source),
    peaks: masterPeaksOf(source, null, 1, null, false),
  };
}

/** A {@link masterPeaksOf} job on files: the programme and the limiter's peaks by descriptor. */
export interface MasterPeaksJob {
  readonly programme: FloatFrameFileDescriptor;
  /** `null` when `curve` is. */
  readonly peaks: FloatFrameFileDescriptor | null;
  readonly gainLinear: number;
  readonly curve: LimiterGainCurveOptions | null;
  /** The continuous true peak (between the grid points) instead of the BS.1770-4 grid's. */
  readonly continuous: boolean;
}

/**
 * Sample and true peaks, per channel, linear, of the master `programme · gainLinear · c` (see
 * `forEachMasterBlock`; c unity when `curve` is `null`), computed block by block, never stored.
 */
export function masterPeaksOf(
  programme: FrameSource,
  peaks: FrameSource | null,
  gainLinear: number,
  curve: LimiterGainCurveOptions | null,
  continuous: boolean,
): ProgrammePeaks {
  const { sampleRateHz, channelCount } = programme;
  const meter = createPeakMeter({ sampleRateHz, channelCount, continuous });
  const blockLengthSamples = passBlockLengthSamples(sampleRateHz);
  forEachMasterBlock({ programme, peaks, gainLinear, curve, blockLengthSamples }, (block) =>
    meter.push(block),
  );
  return { truePeaksLinear: meter.truePeaksLinear(), samplePeaksLinear: meter.samplePeaksLinear() };
}

/** {@link frameAnalysisSide} of a programme file, opened (and closed) here. */
export function frameAnalysisOfFile(programme: FloatFrameFileDescriptor): FrameAnalysisSide {
  const source = openFloatFrameFile(programme);
  try {
    return frameAnalysisSide(source);
  } finally {
    source.close();
  }
}

/** {@link masterPeaksOf} of files, opened (and closed) here. */
export function masterPeaksOfFiles(job: MasterPeaksJob): ProgrammePeaks {
  const programme = openFloatFrameFile(job.programme);
  const peaks = job.peaks ? openFloatFrameFile(job.peaks) : null;
  try {
    return masterPeaksOf(programme, peaks, job.gainLinear, job.curve, job.continuous);
  } finally {
    programme.close();
    peaks?.close();
  }
}
