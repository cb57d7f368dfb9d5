/**
 * A deterministic uniform generator on [0, 1): xorshift32 (Marsaglia 2003). The same as
 * `xorshift32` of `@lacquer/testing`, whose entry imports vitest and so cannot run in a script.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}
