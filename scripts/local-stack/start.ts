// `pnpm start`: the whole platform on this machine. A nats-server child process with a
// temporary JetStream store (unless NATS_URL is set), then the gateway and each worker as
// its own process. Prints the gateway URL and the local tenant's API key; Ctrl-C stops all.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@lacquer/testing/free-port';
import { type NatsServer, startNatsServer } from '@lacquer/testing/nats-server';
import { SERVICE_NAMES, type ServiceProcess, serviceProcess } from './service-process.ts';

const WARN_LEVEL = 40;

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'lacquer-local-'));
  const logDir = join(workDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const port = Number(process.env.PORT ?? 8080);
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const apiKey = process.env.LACQUER_API_KEY ?? `lq_${randomBytes(24).toString('base64url')}`;

  let nats: NatsServer | null = null;
  if (!process.env.NATS_URL) nats = await startNatsServer();
  const env: Record<string, string> = {
    NATS_URL: process.env.NATS_URL ?? nats?.url ?? '',
    LACQUER_API_KEY: apiKey,
    LACQUER_PUBLIC_URL: gatewayUrl,
    LACQUER_BLOB_DIR: process.env.LACQUER_BLOB_DIR ?? join(workDir, 'blobs'),
    LACQUER_SIGNING_SECRET: process.env.LACQUER_SIGNING_SECRET ?? randomBytes(32).toString('hex'),
  };

  const services: ServiceProcess[] = [];
  for (const service of SERVICE_NAMES) {
    const log = createWriteStream(join(logDir, `${service}.log`));
    services.push(
      serviceProcess({
        service,
        port: service === 'gateway' ? port : await freePort(),
        env,
        output: (name, line) => {
          log.write(`${line}\n`);
          if (isWarning(line)) process.stderr.write(`[${name}] ${line}\n`);
        },
      }),
    );
  }

  let stopping = false;
  const stop = async (exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await Promise.all(services.map((service) => service.stop()));
    await nats?.close();
    await rm(workDir, { recursive: true, force: true });
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await Promise.all(services.map((service) => service.start()));
  } catch (error) {
    process.stderr.write(`lacquer: could not start the platform: ${(error as Error).message}\n`);
    await stop(1);
  }
  process.stdout.write(
    [
      '',
      `Lacquer is running: ${gatewayUrl}`,
      `  API key (tenant "local"): ${apiKey}`,
      `  API docs:                 ${gatewayUrl}/docs`,
      `  NATS:                     ${env.NATS_URL}${nats ? ' (temporary store)' : ''}`,
      `  logs:                     ${logDir}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

/** True for a pino JSON line at warn level or above, or any line that is not JSON. */
function isWarning(line: string): boolean {
  try {
    return (JSON.parse(line) as { level?: number }).level! >= WARN_LEVEL;
  } catch {
    return true;
  }
}

await main();
