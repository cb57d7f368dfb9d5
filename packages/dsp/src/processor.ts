/**
 * A stateful block processor (STYLE.md): created with its parameters and sample rate,
 * `process` handles any block size without allocating, and `reset` returns it to silence.
 *
 * `input` and `output` are planar with the same channel count and block length; they may be
 * the same arrays (in-place processing is allowed).
 */
export interface Processor {
  /** Delay the processor adds, in samples at its sample rate (0 for IIR filters). */
  readonly latencySamples: number;
  process(input: readonly Float32Array[], output: readonly Float32Array[]): void;
  reset(): void;
}
