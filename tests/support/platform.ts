import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type NatsServer, startNatsServer } from '@lacquer/testing';
import {
  type ServiceName,
  type ServiceProcess,
  serviceProcess,
} from '../../scripts/local-stack/service-process.ts';

/** The platform started for a test file: nats-server and each service as its own process. */
export interface Platform {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly nats: NatsServer;
  /** By name: `gateway`, `analyzer`, `decision`, `mastering`, and `mastering-2` … when asked for. */
  readonly services: ReadonlyMap<string, ServiceProcess>;
  /** Stops every service, then nats-server, and removes the temp dirs. */
  close(): Promise<void>;
}

/** Options of {@link startPlatform}. */
export interface StartPlatformOptions {
  /** Mastering worker processes on the one consumer (default 1). */
  readonly masteringWorkers?: number;
  /** Print the services' log lines (default: only when `LACQUER_TEST_LOGS=1`). */
  readonly logs?: boolean;
}

/**
 * Starts nats-server on a free port with a temp store and the four services on free ports,
 * the way `pnpm start` does, and waits until each answers `/readyz`.
 */
export async function startPlatform(options: StartPlatformOptions = {}): Promise<Platform> {
  const nats = await startNatsServer();
  const blobDir = await mkdtemp(join(tmpdir(), 'lacquer-e2e-blobs-'));
  const gatewayPort = await freePort();
  const apiKey = `e2e_${randomBytes(16).toString('hex')}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const env = {
    NATS_URL: nats.url,
    LACQUER_API_KEY: apiKey,
    LACQUER_PUBLIC_URL: gatewayUrl,
    LACQUER_BLOB_DIR: blobDir,
    LACQUER_SIGNING_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
  };
  const showLogs = options.logs ?? process.env.LACQUER_TEST_LOGS === '1';
  const output = showLogs ? (name: string, line: string) => console.log(`[${name}] ${line}`) : undefined;
  const instances: [string, ServiceName][] = [
    ['gateway', 'gateway'],
    ['analyzer', 'analyzer'],
    ['decision', 'decision'],
    ...Array.from({ length: options.masteringWorkers ?? 1 }, (_, index): [string, ServiceName] => [
      index === 0 ? 'mastering' : `mastering-${index + 1}`,
      'mastering',
    ]),
  ];
  const services = new Map<string, ServiceProcess>();
  for (const [name, service] of instances) {
    const port = name === 'gateway' ? gatewayPort : await freePort();
    services.set(name, serviceProcess({ service, name, port, env, ...(output ? { output } : {}) }));
  }
  const close = async (): Promise<void> => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await nats.close();
    await rm(blobDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([...services.values()].map((service) => service.start()));
  } catch (error) {
    await close();
    throw error;
  }
  return { gatewayUrl, apiKey, nats, services, close };
}
