// @ts-check
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The bundle cache of the CLI launcher: the workspace's TypeScript bundled by esbuild into
 * plain ES modules, rebuilt only when a file it was built from has changed.
 *
 * Layout of `cacheDir`:
 *   current.json     the manifest: which build is current and what it was built from
 *   <hash>/          one build, named by the hash of its contents, never changed once written:
 *     package.json   `{"type":"module"}`, so Node reads the `.js` files as ES modules
 *     <entry>.js     one self-contained bundle per entry point (`main.js`, `dsp-worker.js`, …)
 *     <entry>.js.map source maps back to the `.ts` sources
 *
 * This module is the fast path (a JSON read and one `stat` per input, a few ms); building
 * lives in `build-bundle.mjs`, loaded only when the cache is stale, with esbuild.
 */

/** File name of the manifest in the cache folder. */
export const MANIFEST_FILE = 'current.json';
/** Bumped when the manifest or the layout of a build changes: older caches are rebuilt. */
export const MANIFEST_VERSION = 1;

/**
 * @typedef {object} BundleOptions
 * @property {string} rootDir Absolute path of the workspace root (esbuild's working folder).
 * @property {readonly string[]} entryPoints Absolute paths of the TypeScript entry points. The first is
 *   the program; the others (worker entries) are built when they exist. Each becomes
 *   `<basename>.js` in the build folder, so basenames must differ.
 * @property {readonly string[]} watchFiles Absolute paths of more files whose change means a rebuild
 *   (the lockfile, tsconfig, the launcher itself). Imported sources and the `package.json` of
 *   their packages are found by the build and need not be listed.
 * @property {readonly string[]} workerExternalPackages Packages that the worker entries load from
 *   node_modules rather than bundle: those whose modules must be the very ones that code outside
 *   the bundle loads in the worker (piscina: its own `worker.js` runs the entry and checks the
 *   marks that the entry's `Piscina.move` sets). The program bundles every package.
 * @property {string} cacheDir Absolute path of the cache folder (created when missing).
 * @property {boolean} [color] ANSI colours in esbuild's messages when the sources do not build.
 */

/**
 * What a build was made from, stored as `current.json`.
 *
 * @typedef {object} BundleManifest
 * @property {number} version {@link MANIFEST_VERSION} of the launcher that wrote it.
 * @property {string} key {@link optionsKey} of the options it was built with.
 * @property {string} buildDir Name of the build folder in the cache folder.
 * @property {readonly BundleInput[]} inputs Every file the build depends on.
 */

/**
 * One file a build depends on: its absolute path, `mtimeMs` and size in bytes when the build
 * read it, or `null` twice for a file that did not exist (a worker entry not written yet).
 *
 * @typedef {readonly [string, number | null, number | null]} BundleInput
 */

/**
 * Runs the program (the first entry point) from its bundle, built first when stale, as
 * `node <bundle>` would: its top-level await, `process.exitCode` and output are its own, and
 * stack traces name the TypeScript sources (source maps on, ~5 ms). When the sources do not
 * build, prints esbuild's messages and sets the exit status to 1.
 *
 * @param {BundleOptions} options
 * @returns {Promise<void>} Settles when the program's top-level code has.
 */
export async function runBundled(options) {
  let program;
  try {
    program = await ensureBundle(options);
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    if (code !== 'BUNDLE_BUILD_FAILED' && code !== 'BUNDLE_ESBUILD_MISSING') throw error;
    process.stderr.write(`lacquer: ${/** @type {Error} */ (error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(program).href);
}

/**
 * The bundle of the first entry point, rebuilt first if any input changed since the last build.
 *
 * @param {BundleOptions} options
 * @returns {Promise<string>} Absolute path of the program's bundle (`<cacheDir>/<hash>/main.js`).
 * @throws Error with `code: 'BUNDLE_BUILD_FAILED'` and the formatted esbuild messages in
 *   `message` when the sources do not build; `code: 'BUNDLE_ESBUILD_MISSING'` when esbuild is
 *   not installed.
 */
export async function ensureBundle(options) {
  const fresh = freshBundle(options);
  if (fresh !== undefined) return fresh;
  const { buildBundle } = await import('./build-bundle.mjs');
  return buildBundle(options);
}

/**
 * The program's bundle when the cache holds a build of `options` whose every input is
 * unchanged (same `mtimeMs` and size, or still missing); `undefined` when it must be built.
 * Comparing for equality (not "newer than") also catches files restored with older times.
 *
 * @param {BundleOptions} options
 * @returns {string | undefined}
 */
export function freshBundle(options) {
  /** @type {BundleManifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(options.cacheDir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined; // no cache yet, or unreadable: build
  }
  if (manifest.version !== MANIFEST_VERSION || manifest.key !== optionsKey(options)) return undefined;
  for (const [path, mtimeMs, size] of manifest.inputs) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined ? mtimeMs !== null : stats.mtimeMs !== mtimeMs || stats.size !== size) {
      return undefined;
    }
  }
  const program = join(options.cacheDir, manifest.buildDir, bundleName(options.entryPoints[0] ?? ''));
  return statSync(program, { throwIfNoEntry: false }) === undefined ? undefined : program;
}

/**
 * What identifies a build's configuration: a build made with other entries or watch files
 * is not reused.
 *
 * @param {BundleOptions} options
 * @returns {string}
 */
export function optionsKey(options) {
  return JSON.stringify([
    options.rootDir,
    options.entryPoints,
    options.watchFiles,
    options.workerExternalPackages,
  ]);
}

/**
 * File name of an entry point's bundle: its basename with `.js` (`dsp-worker.ts` → `dsp-worker.js`).
 *
 * @param {string} entryPoint
 * @returns {string}
 */
export function bundleName(entryPoint) {
  return `${basename(entryPoint).replace(/\.[cm]?[jt]sx?$/, '')}.js`;
}
