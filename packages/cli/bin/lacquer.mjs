#!/usr/bin/env node
// @ts-check
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle-cache.mjs';

// Runs the CLI (packages/cli/src/main.ts) from a bundle of the workspace's TypeScript that
// esbuild rebuilds whenever a source it was built from has changed: edit a .ts file, run
// `pnpm -s lacquer`, see the change. A run with a fresh bundle reads one manifest, stats the
// ~100 inputs and imports one file (tens of ms instead of tsx's ~0.5 s); a run after an edit
// first rebuilds (a few hundred ms). The bundle lives in node_modules/.cache/lacquer/ (see
// bundle-cache.mjs); deleting that folder is always safe.
//
// Worker threads: list every worker entry below. Each is bundled on its own (its imports
// inlined) to `<basename>.js` next to the program's bundle, `main.js`, in the same folder. In
// the bundle, `import.meta.url` of every workspace module is the bundle's URL, so the module
// that starts a worker finds it with
//
//   const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js'; // sources (tsx, vitest) or bundle
//   new Worker(new URL(`./dsp-worker.${extension}`, import.meta.url));
//
// provided the worker's basename is unique among the entries. A listed entry that does not
// exist (yet) is skipped, and created later it triggers a rebuild. (The same holds for data
// files: a workspace module that reads a file next to its source via `import.meta.url` would
// look in the bundle folder; put such files where the code is given them, not next to it.)

const ROOT_DIR = join(fileURLToPath(import.meta.url), '../../../..');
const fromRoot = (/** @type {string} */ path) => join(ROOT_DIR, path);

/** The program, then the worker entries (paths from the workspace root). */
const ENTRY_POINTS = ['packages/cli/src/main.ts', 'packages/engine/src/workers/dsp-worker.ts'];

let program;
try {
  program = await ensureBundle({
    rootDir: ROOT_DIR,
    entryPoints: ENTRY_POINTS.map(fromRoot),
    watchFiles: [
      'pnpm-lock.yaml',
      'tsconfig.json',
      'tsconfig.base.json',
      'packages/cli/bin/lacquer.mjs',
      'packages/cli/bin/bundle-cache.mjs',
      'packages/cli/bin/build-bundle.mjs',
    ].map(fromRoot),
    cacheDir: fromRoot('node_modules/.cache/lacquer'),
    color: process.stderr.isTTY,
  });
} catch (error) {
  const code = /** @type {{ code?: unknown }} */ (error).code;
  if (code !== 'BUNDLE_BUILD_FAILED' && code !== 'BUNDLE_ESBUILD_MISSING') throw error;
  process.stderr.write(`lacquer: ${/** @type {Error} */ (error).message}\n`);
  process.exitCode = 1;
}
if (program !== undefined) {
  // Stack traces name the .ts sources, as under tsx.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(program).href);
}
