import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from './test-support/run-node.ts';

// The launcher's bundle cache (bin/bundle-cache.mjs) on a small project of its own in a temp
// folder, so the tests control its sources; cli.int.test.ts runs the real CLI through it.
const BUNDLE_CACHE = pathToFileURL(fileURLToPath(new URL('../bin/bundle-cache.mjs', import.meta.url))).href;

const SOURCES: Record<string, string> = {
  'src/message.ts': "export const message: string = 'one';\n",
  'src/main.ts': `import { Worker } from 'node:worker_threads';
import { workerPath } from 'runner';
import { message } from './message.ts';

const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const mode = process.argv[2];
if (mode === 'piscina-like') {
  // Like piscina: the worker runs the package's own script, which imports the entry.
  const entry = new URL(\`./echo-worker.\${extension}\`, import.meta.url).href;
  const worker = new Worker(workerPath, { workerData: { entry } });
  console.log(await new Promise((resolve) => worker.once('message', resolve)));
  await worker.terminate();
} else if (mode === 'late') {
  const worker = new Worker(new URL(\`./late-worker.\${extension}\`, import.meta.url));
  console.log(await new Promise((resolve) => worker.once('message', resolve)));
  await worker.terminate();
} else if (mode === 'throw') {
  throw new Error('boom');
} else {
  console.log(message);
  process.exitCode = Number(mode ?? 0);
}
`,
  'src/echo-worker.ts': `import { mark } from 'runner';
import { message } from './message.ts';

export function task() {
  return mark(\`worker \${message}\`);
}
`,
  // A CommonJS package with a module-local identity (as piscina's Piscina.move marks) and a
  // worker script found through its own __dirname (as piscina's worker.js).
  'node_modules/runner/package.json': '{ "name": "runner", "main": "index.js" }\n',
  'node_modules/runner/index.js': `const token = Symbol('token');
exports.mark = (value) => ({ [token]: true, value });
exports.isMarked = (value) => typeof value === 'object' && value !== null && value[token] === true;
exports.workerPath = require('node:path').join(__dirname, 'worker.js');
`,
  'node_modules/runner/worker.js': `const { parentPort, workerData } = require('node:worker_threads');
const { isMarked } = require('./index.js');
import(workerData.entry).then(({ task }) => {
  const result = task();
  parentPort.postMessage(isMarked(result) ? \`marked \${result.value}\` : 'not marked');
});
`,
};

const LATE_WORKER = `import { parentPort } from 'node:worker_threads';
import { message } from './message.ts';

parentPort?.postMessage(\`late \${message}\`);
`;

describe('the launcher runs the sources from a bundle it keeps fresh', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  /** Writes a launcher script `name` for the project (cache `cache-<name>`) and returns its path. */
  async function launcher(name: string, workerExternalPackages: readonly string[]): Promise<string> {
    const options = {
      rootDir: dir,
      entryPoints: ['src/main.ts', 'src/echo-worker.ts', 'src/late-worker.ts'].map(file),
      watchFiles: [],
      workerExternalPackages,
      cacheDir: file(`cache-${name}`),
    };
    const script = `import { runBundled } from ${JSON.stringify(BUNDLE_CACHE)};\nawait runBundled(${JSON.stringify(options)});\n`;
    await writeFile(file(name), script);
    return file(name);
  }

  const run = runNode;

  const manifest = (name: string) => join(dir, `cache-${name}`, 'current.json');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lacquer-launcher-'));
    for (const [name, contents] of Object.entries(SOURCES)) {
      await mkdir(dirname(file(name)), { recursive: true });
      await writeFile(file(name), contents);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds once, then runs the same build while no input changes; exit status is the program’s', async () => {
    const script = await launcher('fresh.mjs', []);
    const first = await run(script);
    expect(first).toEqual({ exitCode: 0, stdout: 'one\n', stderr: '' });
    const built = await stat(manifest('fresh.mjs'));
    const second = await run(script, '3');
    expect(second).toEqual({ exitCode: 3, stdout: 'one\n', stderr: '' });
    expect((await stat(manifest('fresh.mjs'))).mtimeMs).toBe(built.mtimeMs);
  });

  it('rebuilds after a source changes, and reports sources that do not build (exit 1)', async () => {
    const script = await launcher('edit.mjs', []);
    expect((await run(script)).stdout).toBe('one\n');
    try {
      await writeFile(file('src/message.ts'), "export const message: string = 'two';\n");
      expect((await run(script)).stdout).toBe('two\n');

      await writeFile(file('src/message.ts'), 'export const message: string = ;\n');
      const broken = await run(script);
      expect(broken.exitCode).toBe(1);
      expect(broken.stdout).toBe('');
      expect(broken.stderr).toContain('src/message.ts:1:');
    } finally {
      await writeFile(file('src/message.ts'), SOURCES['src/message.ts']!);
    }
    expect((await run(script)).stdout).toBe('one\n');
  });

  it('gives stack traces that name the TypeScript source', async () => {
    const thrown = await run(await launcher('throw.mjs', []), 'throw');
    expect(thrown.exitCode).toBe(1);
    const throwLine = SOURCES['src/main.ts']!.split('\n').findIndex((line) => line.includes('boom')) + 1;
    expect(thrown.stderr).toContain(`src/main.ts:${throwLine}:`);
  });

  it('bundles worker entries beside the program; worker-external packages keep one module instance', async () => {
    const external = await run(await launcher('external.mjs', ['runner']), 'piscina-like');
    expect(external).toEqual({ exitCode: 0, stdout: 'marked worker one\n', stderr: '' });
    // The control: bundled into the worker entry, the package is a second copy with its own token.
    const bundled = await run(await launcher('bundled.mjs', []), 'piscina-like');
    expect(bundled.stdout).toBe('not marked\n');
  });

  it('builds a listed worker entry once it exists', async () => {
    const script = await launcher('late.mjs', []);
    expect((await run(script)).exitCode).toBe(0);
    await writeFile(file('src/late-worker.ts'), LATE_WORKER);
    try {
      expect(await run(script, 'late')).toEqual({ exitCode: 0, stdout: 'late one\n', stderr: '' });
    } finally {
      await rm(file('src/late-worker.ts'));
    }
  });

  it('lets concurrent cold runs share one build', async () => {
    const script = await launcher('concurrent.mjs', []);
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(script)));
    for (const each of runs) expect(each).toEqual({ exitCode: 0, stdout: 'one\n', stderr: '' });
    const { buildDir } = JSON.parse(await readFile(manifest('concurrent.mjs'), 'utf8'));
    expect(await readdir(file('cache-concurrent.mjs'))).toEqual(['current.json', buildDir].sort());
  });
});
