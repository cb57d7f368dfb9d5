// @ts-check
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleName, MANIFEST_FILE, MANIFEST_VERSION, optionsKey } from './bundle-cache.mjs';

/** Builds superseded (or left half-written by a crash) longer ago than this are deleted. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;
/** Hex digits of the content hash that name a build folder. */
const BUILD_HASH_DIGITS = 16;
/** Loaders for the files the build reads itself (see `recordInputs`); others esbuild reads. */
const LOADERS = /** @type {const} */ ({
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.json': 'json',
});
/** Marks a resolve call made by `keepExternal` itself, so it does not recurse. */
const RESOLVING = Symbol('resolving');

/** A failure of the launcher's build, with a stable `code` and esbuild's messages in `message`. */
export class BundleError extends Error {
  /**
   * @param {'BUNDLE_BUILD_FAILED' | 'BUNDLE_ESBUILD_MISSING'} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'BundleError';
    this.code = code;
  }
}

/**
 * Bundles `options.entryPoints` with esbuild into a new build folder of the cache, makes it
 * current, and deletes builds superseded over an hour ago (a long `lacquer master` may still
 * start workers from the build it began with).
 *
 * Safe to run in several processes at once: a build is written to a temporary folder and
 * renamed into place (same sources, same hash, same folder), and the manifest is replaced by
 * a rename, so a reader sees a whole build or none.
 *
 * Packages from node_modules are bundled too (loading commander, fluent-ffmpeg, piscina and
 * their dependencies file by file costs Node ~50 ms), except `options.workerExternalPackages`
 * in the worker entries. The program and the workers are two esbuild builds for that.
 *
 * @param {import('./bundle-cache.mjs').BundleOptions} options
 * @returns {Promise<string>} Absolute path of the program's bundle.
 * @throws {BundleError}
 */
export async function buildBundle(options) {
  const esbuild = await loadEsbuild();
  const [program, ...listedWorkers] = options.entryPoints;
  if (program === undefined) throw new TypeError('buildBundle: entryPoints is empty');
  const names = options.entryPoints.map(bundleName);
  const clash = names.find((name, index) => names.indexOf(name) !== index);
  if (clash !== undefined) {
    throw new BundleError('BUNDLE_BUILD_FAILED', `two entry points would both be bundled to ${clash}`);
  }
  /** @type {Map<string, [number | null, number | null]>} */
  const inputs = new Map();
  // Stat before anything is read: a file changed during the build then differs next time.
  for (const path of [...options.watchFiles, ...listedWorkers]) inputs.set(path, statOf(path));
  const workers = listedWorkers.filter((path) => inputs.get(path)?.[0] !== null);

  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: options.rootDir,
    entryNames: '[name]',
    // Never written (write: false); it only sets the depth of the source maps' relative paths,
    // which is that of every build folder.
    outdir: join(options.cacheDir, 'build'),
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Resolve packages as Node does (esbuild otherwise also honours `module`).
    conditions: [],
    mainFields: ['main'],
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
    // CommonJS bundled into an ES module calls `require` for Node's built-in modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  };
  /** @type {import('esbuild').OutputFile[]} */
  let outputFiles;
  try {
    const builds = await Promise.all([
      esbuild.build({ ...common, entryPoints: [program], plugins: [recordInputs(inputs)] }),
      ...(workers.length === 0
        ? []
        : [
            esbuild.build({
              ...common,
              entryPoints: workers,
              plugins: [keepExternal(options.workerExternalPackages), recordInputs(inputs)],
            }),
          ]),
    ]);
    outputFiles = builds.flatMap((build) => build.outputFiles ?? []);
  } catch (error) {
    const messages = /** @type {{ errors?: import('esbuild').Message[] }} */ (error).errors ?? [];
    const text = await esbuild.formatMessages(messages, { kind: 'error', color: options.color === true });
    throw new BundleError('BUNDLE_BUILD_FAILED', `cannot build the CLI from its sources\n${text.join('')}`, {
      cause: error,
    });
  }
  for (const path of inputs.keys()) {
    const packageJson = packageJsonOf(path, options.rootDir);
    if (packageJson !== undefined && !inputs.has(packageJson)) inputs.set(packageJson, statOf(packageJson));
  }

  mkdirSync(options.cacheDir, { recursive: true });
  const buildDir = writeBuild(options.cacheDir, outputFiles);
  const previous = readManifest(options.cacheDir);
  /** @type {import('./bundle-cache.mjs').BundleManifest} */
  const manifest = {
    version: MANIFEST_VERSION,
    key: optionsKey(options),
    buildDir,
    inputs: [...inputs].map(([path, [mtimeMs, size]]) => [path, mtimeMs, size]),
  };
  writeAtomically(join(options.cacheDir, MANIFEST_FILE), JSON.stringify(manifest));
  if (previous !== undefined && previous.buildDir !== buildDir) {
    touch(join(options.cacheDir, previous.buildDir)); // superseded now: prune it an hour from now
  }
  prune(options.cacheDir, buildDir);
  return join(options.cacheDir, buildDir, bundleName(program));
}

/** @returns {Promise<typeof import('esbuild')>} */
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch (error) {
    throw new BundleError(
      'BUNDLE_ESBUILD_MISSING',
      'esbuild is not installed, so the CLI cannot be built from its sources (run `pnpm install`)',
      { cause: error },
    );
  }
}

/**
 * Leaves the packages named in `externalPackages` out of the bundle, imported by absolute
 * `file:` URL (bare names do not resolve from the cache folder under pnpm) as Node would
 * resolve them. Every other package, the workspace's included, is bundled.
 *
 * @param {readonly string[]} externalPackages
 * @returns {import('esbuild').Plugin}
 */
function keepExternal(externalPackages) {
  return {
    name: 'keep-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING || !externalPackages.includes(packageName(args.path))) {
          return undefined;
        }
        const resolved = await build.resolve(args.path, {
          importer: args.importer,
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: RESOLVING,
        });
        if (resolved.errors.length > 0 || resolved.external) return resolved;
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

/**
 * The package a bare import names: `piscina` of `piscina`, `@scope/name` of `@scope/name/sub`.
 *
 * @param {string} specifier
 * @returns {string}
 */
function packageName(specifier) {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Reads the files of the build itself, stat first, so each input is recorded as it was
 * before it was read. A CommonJS file from node_modules that uses `__dirname` or
 * `__filename` gets its own (an ES module has none, and the bundle's folder is not the
 * package's: piscina looks for its `worker.js` there, fluent-ffmpeg for its presets).
 *
 * @param {Map<string, [number | null, number | null]>} inputs
 * @returns {import('esbuild').Plugin}
 */
function recordInputs(inputs) {
  return {
    name: 'record-inputs',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        inputs.set(args.path, statOf(args.path));
        const loader = LOADERS[/** @type {keyof typeof LOADERS} */ (extname(args.path))];
        if (loader === undefined) return undefined;
        const contents = readFileSync(args.path, 'utf8');
        if (loader !== 'js' || !args.path.includes(`${sep}node_modules${sep}`)) return { contents, loader };
        return { contents: withModulePaths(contents, args.path), loader };
      });
    },
  };
}

/**
 * `contents` with `__dirname` and `__filename` declared at the top when it uses them,
 * after a hashbang, on the first line (no line numbers move).
 *
 * @param {string} contents
 * @param {string} path
 * @returns {string}
 */
function withModulePaths(contents, path) {
  if (!/\b__(dirname|filename)\b/.test(contents)) return contents;
  const declaration = `var __dirname = ${JSON.stringify(dirname(path))}, __filename = ${JSON.stringify(path)}; `;
  const hashbang = contents.startsWith('#!') ? contents.indexOf('\n') + 1 : 0;
  return contents.slice(0, hashbang) + declaration + contents.slice(hashbang);
}

/**
 * Writes esbuild's output into `<cacheDir>/<content hash>/` unless a build of the same
 * content is there already.
 *
 * @param {string} cacheDir
 * @param {import('esbuild').OutputFile[]} outputFiles
 * @returns {string} The build folder's name.
 */
function writeBuild(cacheDir, outputFiles) {
  const files = outputFiles
    .map((file) => ({ name: relative(join(cacheDir, 'build'), file.path), contents: file.contents }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.name).update('\0').update(file.contents).update('\0');
  const buildDir = hash.digest('hex').slice(0, BUILD_HASH_DIGITS);
  const target = join(cacheDir, buildDir);
  if (existsSync(target)) {
    touch(target);
    return buildDir;
  }
  const temporary = join(cacheDir, `.tmp-${buildDir}-${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(temporary);
  writeFileSync(join(temporary, 'package.json'), '{ "type": "module" }\n');
  for (const file of files) writeFileSync(join(temporary, file.name), file.contents);
  try {
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    // Another process wrote the same build first.
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  return buildDir;
}

/**
 * @param {string} cacheDir
 * @returns {import('./bundle-cache.mjs').BundleManifest | undefined}
 */
function readManifest(cacheDir) {
  try {
    return JSON.parse(readFileSync(join(cacheDir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * @param {string} path
 * @param {string} contents
 */
function writeAtomically(path, contents) {
  const temporary = join(dirname(path), `.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * Deletes every entry of the cache folder but the manifest and `keep` whose mtime is over
 * {@link PRUNE_AFTER_MS} old.
 *
 * @param {string} cacheDir
 * @param {string} keep
 */
function prune(cacheDir, keep) {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (name === MANIFEST_FILE || name === keep) continue;
    const path = join(cacheDir, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats !== undefined && now - stats.mtimeMs > PRUNE_AFTER_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** @param {string} path */
function touch(path) {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    // gone already: nothing to keep
  }
}

/**
 * @param {string} path
 * @returns {[number | null, number | null]} `mtimeMs` and size, or `null` twice when missing.
 */
function statOf(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats === undefined ? [null, null] : [stats.mtimeMs, stats.size];
}

/**
 * The `package.json` nearest above `path` within `rootDir` (its `exports` decide what a
 * workspace package name resolves to), if any.
 *
 * @param {string} path
 * @param {string} rootDir
 * @returns {string | undefined}
 */
function packageJsonOf(path, rootDir) {
  for (let dir = dirname(path); dir.startsWith(rootDir); dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dir === rootDir) break;
  }
  return undefined;
}
