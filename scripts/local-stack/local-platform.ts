import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@lacquer/testing/free-port';
import { type NatsServer, startNatsServer } from '@lacquer/testing/nats-server';
import { type ServiceName, type ServiceProcess, serviceProcess } from './service-process.ts';

/** The whole platform on one machine: nats-server (unless given) and each service as a process. */
export interface LocalPlatform {
  readonly gatewayUrl: string;
  /** The API key of the tenant `local`. */
  readonly apiKey: string;
  /** The operators' key for `/v1/admin/…` and `lacquer admin`. */
  readonly adminApiKey: string;
  readonly natsUrl: string;
  /** The nats-server child process, when the platform started one. */
  readonly nats: NatsServer | null;
  /** By name: `gateway`, `analyzer`, `decision`, `mastering`, and `mastering-2` … when asked for. */
  readonly services: ReadonlyMap<string, ServiceProcess>;
  /** Starts every service and resolves when each answers `/readyz`. */
  start(): Promise<void>;
  /** Stops every service, then the nats-server it started, and removes its temp files. */
  close(): Promise<void>;
}

/** Options of {@link createLocalPlatform}; every one has a default for a laptop. */
export interface LocalPlatformOptions {
  /** The gateway's port (default: a free one). */
  readonly port?: number;
  /** Default: a new random key. */
  readonly apiKey?: string;
  /** Default: a new random key. */
  readonly adminApiKey?: string;
  /** An existing NATS; default: a nats-server child with a temporary JetStream store. */
  readonly natsUrl?: string;
  /** Default: a temp dir, removed by `close`. */
  readonly blobDir?: string;
  /** Default: 32 random bytes. */
  readonly signingSecret?: string;
  /** Mastering worker processes sharing the one consumer (default 1). */
  readonly masteringWorkers?: number;
  /**
   * More environment for every service, over the platform's own settings (e.g.
   * `LACQUER_ACK_WAIT_SECONDS` for a fault test); services ignore variables they do not know.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Each service's output, line by line (default: dropped). */
  readonly output?: (name: string, line: string) => void;
}

/**
 * Prepares the platform (`pnpm start`, the end-to-end tests, the benchmark): starts
 * nats-server if needed and lays out the services' settings; `start()` launches them.
 */
export async function createLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const workDir = await mkdtemp(join(tmpdir(), 'lacquer-local-'));
  const nats = options.natsUrl ? null : await startNatsServer();
  const natsUrl = options.natsUrl ?? nats?.url ?? '';
  const gatewayPort = options.port ?? (await freePort());
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const apiKey = options.apiKey ?? `lq_${randomBytes(24).toString('base64url')}`;
  const adminApiKey = options.adminApiKey ?? `lqa_${randomBytes(24).toString('base64url')}`;
  const env = {
    NATS_URL: natsUrl,
    LACQUER_API_KEY: apiKey,
    LACQUER_ADMIN_API_KEY: adminApiKey,
    LACQUER_PUBLIC_URL: gatewayUrl,
    LACQUER_BLOB_DIR: options.blobDir ?? join(workDir, 'blobs'),
    LACQUER_SIGNING_SECRET: options.signingSecret ?? randomBytes(32).toString('hex'),
    ...options.env,
  };
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
    services.set(
      name,
      serviceProcess({ service, name, port, env, ...(options.output ? { output: options.output } : {}) }),
    );
  }
  const close = async (): Promise<void> => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await nats?.close();
    await rm(workDir, { recursive: true, force: true });
  };
  return {
    gatewayUrl,
    apiKey,
    adminApiKey,
    natsUrl,
    nats,
    services,
    start: async () => {
      await Promise.all([...services.values()].map((service) => service.start()));
    },
    close,
  };
}
