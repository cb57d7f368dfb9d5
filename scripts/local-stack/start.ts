// `pnpm start`: the whole platform on this machine. A nats-server child process with a
// temporary JetStream store (unless NATS_URL is set), then the gateway and each worker as
// its own process. Prints the gateway URL and the local tenant's API key; Ctrl-C stops all.
// Service logs (pino JSON) go to one file per service; warnings and errors also to stderr.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalPlatform } from './local-platform.ts';

const WARN_LEVEL = 40;

/** True for a pino JSON line at warn level or above, or any line that is not JSON. */
function isWarning(line: string): boolean {
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? WARN_LEVEL) >= WARN_LEVEL;
  } catch {
    return true;
  }
}

const logDir = await mkdtemp(join(tmpdir(), 'lacquer-logs-'));
const logs = new Map<string, WriteStream>();
const platform = await createLocalPlatform({
  port: Number(process.env.PORT ?? 8080),
  ...(process.env.LACQUER_API_KEY ? { apiKey: process.env.LACQUER_API_KEY } : {}),
  ...(process.env.LACQUER_ADMIN_API_KEY ? { adminApiKey: process.env.LACQUER_ADMIN_API_KEY } : {}),
  ...(process.env.NATS_URL ? { natsUrl: process.env.NATS_URL } : {}),
  ...(process.env.LACQUER_BLOB_DIR ? { blobDir: process.env.LACQUER_BLOB_DIR } : {}),
  ...(process.env.LACQUER_SIGNING_SECRET ? { signingSecret: process.env.LACQUER_SIGNING_SECRET } : {}),
  output: (name, line) => {
    let log = logs.get(name);
    if (!log) {
      log = createWriteStream(join(logDir, `${name}.log`));
      logs.set(name, log);
    }
    log.write(`${line}\n`);
    if (isWarning(line)) process.stderr.write(`[${name}] ${line}\n`);
  },
});

let stopping = false;
const stop = async (exitCode: number): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping…\n');
  await platform.close();
  process.exit(exitCode);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  await platform.start();
} catch (error) {
  process.stderr.write(`lacquer: could not start the platform: ${(error as Error).message}\n`);
  await stop(1);
}
process.stdout.write(
  [
    '',
    `Lacquer is running: ${platform.gatewayUrl}`,
    `  API key (tenant "local"): ${platform.apiKey}`,
    `  admin key (lacquer admin, /v1/admin): ${platform.adminApiKey}`,
    `  API docs:                 ${platform.gatewayUrl}/docs`,
    `  NATS:                     ${platform.natsUrl}${platform.nats ? ' (temporary store)' : ''}`,
    `  logs:                     ${logDir}`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
