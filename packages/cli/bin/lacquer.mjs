#!/usr/bin/env node
// @ts-check
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundled } from './bundle-cache.mjs';

// Runs the CLI (packages/cli/src/main.ts) from a bundle of the workspace's TypeScript that
// esbuild rebuilds whenever a file it was built from has changed: edit a .ts file, run
// `pnpm -s lacquer`, see the change. With a fresh bundle a run reads one manifest, stats the
// ~130 files the bundle was built from (~4 ms) and imports one file: ~50 ms over Node's own
// start, where tsx took ~600 ms. The first run after an edit rebuilds first (~0.3 s). The
// bundle lives in node_modules/.cache/lacquer/ (layout in bundle-cache.mjs); deleting it is
// always safe.
//
// Worker threads: list each worker entry in ENTRY_POINTS. It is bundled on its own (its
// imports inlined) to `<basename>.js` in the folder of the program's bundle, `main.js`. In the
// bundle, `import.meta.url` of every workspace module is the URL of the bundle it runs in, so
// the module that starts a worker finds it with `new URL('./dsp-worker.js', import.meta.url)`
// in a bundle, and from the sources (tsx, vitest) through a small .mjs entry that registers
// tsx first (see packages/engine/src/workers/dsp-pool.ts and dsp-worker-source.mjs). Basenames of entries must differ. A
// listed entry that does not exist is skipped; once created, it triggers a rebuild. Likewise a
// workspace module that reads a data file next to its source through `import.meta.url` would
// look in the bundle's folder: such files are passed in, not looked up beside the code.

const ROOT_DIR = join(fileURLToPath(import.meta.url), '../../../..');
const fromRoot = (/** @type {string} */ path) => join(ROOT_DIR, path);

/** The program, then the worker entries (paths from the workspace root). */
const ENTRY_POINTS = ['packages/cli/src/main.ts', 'packages/engine/src/workers/dsp-worker.ts'];

/**
 * Packages the worker entries load from node_modules instead of bundling: piscina, whose
 * `worker.js` (outside any bundle) runs a worker entry and must share its module instance
 * (it would not recognise the marks of a bundled copy's `Piscina.move`).
 */
const WORKER_EXTERNAL_PACKAGES = ['piscina'];

await runBundled({
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
  workerExternalPackages: WORKER_EXTERNAL_PACKAGES,
  cacheDir: fromRoot('node_modules/.cache/lacquer'),
  color: process.stderr.isTTY,
});
