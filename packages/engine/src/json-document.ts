/**
 * JSON for people and programs: non-finite numbers (the `-Infinity` LUFS of silence) become
 * `null`, since JSON has no infinities; typed arrays become plain arrays.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (v instanceof Float32Array || v instanceof Float64Array) return Array.from(v);
      return v;
    },
    indent,
  );
}

/** Level fields whose `null` in JSON stands for the `-Infinity` of silence. */
const SILENCE_IS_NEGATIVE_INFINITY = /(Lufs|Dbtp|Dbfs|^levelDb)$/;

/**
 * Reads a document back from {@link toJson}'s output (analysis.json, decision.json), turning
 * the `null` of silent levels (fields ending in `Lufs`, `Dbtp`, `Dbfs`, and `levelDb`) back
 * into `-Infinity`, so that `decide` sees what `analyze` measured. The caller names the
 * document's type; nothing is validated beyond JSON syntax.
 */
export function parseJsonDocument<T>(json: string): T {
  return JSON.parse(json, (key, value) =>
    value === null && SILENCE_IS_NEGATIVE_INFINITY.test(key) ? Number.NEGATIVE_INFINITY : value,
  ) as T;
}
