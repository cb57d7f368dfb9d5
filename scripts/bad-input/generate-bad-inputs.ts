// Writes the bad-input corpus (issue 5): files a client may upload that are not a plain mix
// (not audio, truncated, empty, silent, NaN, too short or long, 6 or 8 channels, odd rates,
// odd WAV chunks, wrong names, a huge ID3 tag, …) and manifest.json with the answer each one
// should get from the REST API. tests/e2e/bad-input-corpus.e2e.test.ts sends them all.
//
//   pnpm bad-inputs -- --out <dir>
//
// Exits 2 on a bad command line, 1 when a file cannot be made (ffmpeg missing or failing).
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBadInputCorpus } from './write-bad-input-corpus.ts';

const EXIT_USAGE = 2;

let outDir: string;
try {
  const { values } = parseArgs({
    // pnpm passes the `--` of `pnpm bad-inputs -- --out <dir>` on.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    strict: true,
    options: { out: { type: 'string' } },
  });
  if (!values.out) throw new Error('--out <dir> is required');
  outDir = resolve(values.out);
} catch (error) {
  console.error(`bad-inputs: ${error instanceof Error ? error.message : String(error)}`);
  console.error('usage: pnpm bad-inputs -- --out <dir>');
  process.exit(EXIT_USAGE);
}

try {
  const manifest = await writeBadInputCorpus(outDir);
  let totalBytes = 0;
  for (const entry of manifest.files) {
    const { size } = await stat(join(outDir, entry.file));
    totalBytes += size;
    const { expected } = entry;
    const answer =
      expected.outcome === 'completed'
        ? 'completed'
        : expected.outcome === 'failed'
          ? `failed ${expected.code}`
          : `rejected ${expected.httpStatus} ${expected.code}`;
    console.log(`${entry.file.padEnd(32)} ${String(size).padStart(9)} B  ${answer}`);
  }
  console.log(
    `${manifest.files.length} files, ${(totalBytes / 2 ** 20).toFixed(1)} MiB, and manifest.json in ${outDir}`,
  );
} catch (error) {
  console.error(`bad-inputs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}
