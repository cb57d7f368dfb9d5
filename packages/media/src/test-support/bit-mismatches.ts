/**
 * Samples whose bit patterns differ between two sets of planar channels (so −0 ≠ 0 and NaN =
 * NaN): the measure of "bit for bit". Every missing channel or frame counts as a mismatch.
 * Test helper.
 */
export function bitMismatches(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let count = 0;
  for (let c = 0; c < Math.max(a.length, b.length); c++) {
    const x = a[c] ?? new Float32Array(0);
    const y = b[c] ?? new Float32Array(0);
    const xBits = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const yBits = new Uint32Array(y.buffer, y.byteOffset, y.length);
    const common = Math.min(x.length, y.length);
    count += Math.max(x.length, y.length) - common;
    for (let i = 0; i < common; i++) if (xBits[i] !== yBits[i]) count++;
  }
  return count;
}
