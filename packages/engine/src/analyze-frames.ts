import {
  createClippingDetector,
  createLevelsMeter,
  createLoudnessMeter,
  createSilenceDetector,
  createStereoMeter,
  createTempoEstimator,
  type FrameSource,
} from '@lacquer/dsp';
import { type Analysis, type AnalysisSeries, assembleAnalysis } from './analysis.ts';
import { descriptorOf } from './frame-file-descriptor.ts';
import { passBlockLengthSamples } from './pass-blocks.ts';
import { type DspPool, INLINE_POOL } from './workers/dsp-pool.ts';
import { frameAnalysisSide } from './workers/frame-tasks.ts';

/**
 * {@link analyze} for a programme too long to hold in memory, read through a {@link FrameSource}
 * (a file decoded to disk): the same {@link Analysis} and series, from the same measurements
 * in their streaming forms. One pass in blocks of `passBlockLengthSamples` feeds the
 * BS.1770-4 loudness meter, levels, stereo, clipping, silence and the tempo's onset strength;
 * the long-term spectra (1/3 octave, mid/side Welch) and the key read the frames they
 * transform, and a pass of its own measures the true peaks (`frameAnalysisSide`): in the pool,
 * beside the first pass, when the source is a file a pool thread can open (a `FloatFrameFile`).
 *
 * Memory: a few blocks and FFT frames, plus bookkeeping per 10 ms (hop energies, silence steps,
 * onset strength, the loudness series and the loudest-section search: some 50 MB per hour at
 * its peak, briefly), against 4 bytes per sample (1.27 GB per hour of stereo at 44.1 kHz)
 * for the programme held whole. Measured: about 250 MB for the whole worker process, threads
 * included, from 10 to 60 minutes (`pnpm bench:long-file`).
 *
 * @param source 1 or 2 channels (the mid/side spectra need mono or stereo), 8 to 768 kHz.
 * @param pool where the frame-reading half runs (default: inline, after the pass).
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a source the meters reject; what
 *   `source.read` throws.
 */
export async function analyzeFrames(
  source: FrameSource,
  pool: DspPool = INLINE_POOL,
): Promise<{ analysis: Analysis; series: AnalysisSeries }> {
  const { sampleRateHz, channelCount, lengthSamples } = source;
  // The frame-reading half goes to the pool first (when the source is a file it can open), to
  // run while this thread makes the pass.
  const descriptor = descriptorOf(source);
  const pooled = descriptor && pool !== INLINE_POOL ? pool.frameAnalysis(descriptor) : null;
  // Awaited after the pass; should the pass throw first, the pool's failure is moot.
  pooled?.catch(() => {});
  const loudness = createLoudnessMeter({ sampleRateHz, channelCount });
  const levels = createLevelsMeter(channelCount);
  const stereo = createStereoMeter(channelCount);
  const clipping = createClippingDetector({ sampleRateHz, channelCount });
  const silence = createSilenceDetector({ sampleRateHz, channelCount });
  const tempo = createTempoEstimator({ sampleRateHz, channelCount });
  const blockLengthSamples = passBlockLengthSamples(sampleRateHz);
  const buffers = Array.from({ length: channelCount }, () => new Float32Array(blockLengthSamples));
  for (let start = 0; start < lengthSamples; start += blockLengthSamples) {
    const frames = Math.min(blockLengthSamples, lengthSamples - start);
    const block = buffers.map((buffer) => buffer.subarray(0, frames));
    source.read(start, block);
    loudness.push(block);
    levels.push(block);
    stereo.push(block);
    clipping.push(block);
    silence.push(block);
    tempo.push(block);
  }
  const { spectrum, spectral, key, peaks } = pooled ? await pooled : frameAnalysisSide(source);
  return assembleAnalysis({
    sampleRateHz,
    channelCount,
    lengthSamples,
    hops: loudness.hopEnergies(),
    peaks,
    levels: levels.result(),
    stereo: stereo.result(),
    spectrum,
    spectral,
    clipping: clipping.result(),
    silence: silence.result(),
    tempo: tempo.result(),
    key,
  });
}
