import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** A nats-server child process with JetStream on a temporary file store. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The HTTP monitoring port (`/jsz`, `/healthz`). */
  readonly monitorPort: number;
  readonly storeDir: string;
  /**
   * Stops the server with `signal` (default SIGTERM: a clean shutdown; SIGKILL: a crash) and
   * waits for it to exit; the store is kept for {@link start}.
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store, after {@link stop}. */
  start(): Promise<void>;
  /** Stops it and removes the store. */
  close(): Promise<void>;
}

/** Starts a new nats-server on free ports with a temp store; resolves once it accepts clients. */
export async function startNatsServer(): Promise<NatsServer> {
  const [port, monitorPort] = [await freePort(), await freePort()];
  const storeDir = await mkdtemp(join(tmpdir(), 'lacquer-nats-'));
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', storeDir];
    const started = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          started.stderr?.off('data', onData);
          started.stderr?.resume();
          resolve();
        }
      };
      started.stderr?.on('data', onData);
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorPort,
    storeDir,
    stop,
    start,
    close: async () => {
      await stop('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
