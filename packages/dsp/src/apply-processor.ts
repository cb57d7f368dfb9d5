import { LacquerError } from '@lacquer/errors';
import type { PlanarAudio } from './planar-audio.ts';
import type { Processor } from './processor.ts';

/** Options of {@link applyProcessor}. */
export interface ApplyProcessorOptions {
  /**
   * Block lengths in samples, used in turn and repeated (default `[4096]`); each at least 1.
   * Any lengths give the same result; tests pass odd ones to prove it.
   */
  readonly blockLengthsSamples?: readonly number[];
}

/**
 * Runs a whole in-memory programme through `processor` with its latency compensated: the
 * input is followed by `processor.latencySamples` frames of zeros (the flush) and the first
 * `latencySamples` output frames are dropped, so the result has the input's length and is
 * time-aligned with it. This is the recipe a streaming caller follows too (see
 * `createTruePeakLimiter`).
 *
 * Allocates the result (one array per channel, input length + latency, returned as views
 * from the latency on). The processor is used as it is (call `reset()` first to reuse one).
 *
 * @throws LacquerError `DSP_INVALID_PARAMETER` for a block length that is not a positive integer.
 */
export function applyProcessor(
  processor: Processor,
  audio: PlanarAudio,
  options: ApplyProcessorOptions = {},
): PlanarAudio {
  const blockLengths = options.blockLengthsSamples ?? [4096];
  if (blockLengths.length === 0 || !blockLengths.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new LacquerError('DSP_INVALID_PARAMETER', 'block lengths must be positive integers', {
      details: { blockLengthsSamples: blockLengths },
    });
  }
  const inputLength = audio.channels[0]?.length ?? 0;
  const latency = processor.latencySamples;
  const padded = audio.channels.map((channel) => {
    const p = new Float32Array(inputLength + latency);
    p.set(channel);
    return p;
  });
  // Processed in place: each block of the padded copy is replaced by its output.
  const totalLength = inputLength + latency;
  let offset = 0;
  for (let b = 0; offset < totalLength; b = (b + 1) % blockLengths.length) {
    const end = Math.min(totalLength, offset + blockLengths[b]!);
    const block = padded.map((p) => p.subarray(offset, end));
    processor.process(block, block);
    offset = end;
  }
  return { sampleRateHz: audio.sampleRateHz, channels: padded.map((p) => p.subarray(latency)) };
}
