import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The platform's services, in the order they start. */
export const SERVICE_NAMES = ['gateway', 'analyzer', 'decision', 'mastering'] as const;

/** A service of {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One service running as its own Node process. */
export interface ServiceProcess {
  readonly name: string;
  /** The port of its HTTP server (API, or health and metrics). */
  readonly port: number;
  /** Starts the process and resolves when `/readyz` answers 200. */
  start(): Promise<void>;
  /** Sends `signal` (default SIGTERM) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly running: boolean;
  /** The process id while it runs (for logs). */
  readonly pid: number | undefined;
}

/** Options of {@link serviceProcess}. */
export interface ServiceProcessOptions {
  readonly service: ServiceName;
  /** A label for logs when one service runs twice (e.g. `mastering-2`). */
  readonly name?: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  /** Where the service's stdout and stderr go (default: dropped). */
  readonly output?: (name: string, line: string) => void;
  /** How long `start` waits for `/readyz`, ms (default 60 000). */
  readonly readyTimeoutMs?: number;
}

/**
 * A service started as `node --import tsx services/<service>/src/main.ts` (what
 * `pnpm --filter @lacquer/<service> start` runs) with `PORT` and `env`.
 */
export function serviceProcess(options: ServiceProcessOptions): ServiceProcess {
  const name = options.name ?? options.service;
  let child: ChildProcess | null = null;

  const forward = (stream: NodeJS.ReadableStream | null): void => {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) options.output?.(name, line);
    });
  };

  const waitUntilReady = async (started: ChildProcess): Promise<void> => {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(`${name} exited with ${started.exitCode ?? started.signalCode} while starting`);
      const ready = await fetch(`http://127.0.0.1:${options.port}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name} was not ready within ${options.readyTimeoutMs ?? 60_000} ms`);
  };

  return {
    name,
    port: options.port,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    get pid() {
      return child?.pid;
    },
    async start() {
      const started = spawn(
        process.execPath,
        ['--import', 'tsx', `services/${options.service}/src/main.ts`],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = started;
      forward(started.stdout);
      forward(started.stderr);
      await waitUntilReady(started);
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill(signal);
      });
    },
  };
}
