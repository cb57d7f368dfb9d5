import { createLocalPlatform, type LocalPlatform } from '../../scripts/local-stack/local-platform.ts';

/** Options of {@link startPlatform}. */
export interface StartPlatformOptions {
  /** Mastering worker processes on the one consumer (default 1). */
  readonly masteringWorkers?: number;
  /** More environment for every service (e.g. `LACQUER_ACK_WAIT_SECONDS`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Each service's output, line by line (also printed when `LACQUER_TEST_LOGS=1`). */
  readonly output?: (name: string, line: string) => void;
}

/**
 * Starts the platform as `pnpm start` does (nats-server on a free port with a temp store, each
 * service as its own process on a free port) and waits until every service is ready. Service
 * logs are printed when `LACQUER_TEST_LOGS=1`.
 */
export async function startPlatform(
  options: StartPlatformOptions = {},
): Promise<LocalPlatform & { nats: NonNullable<LocalPlatform['nats']> }> {
  const print = process.env.LACQUER_TEST_LOGS === '1';
  const output =
    print || options.output
      ? (name: string, line: string) => {
          if (print) console.log(`[${name}] ${line}`);
          options.output?.(name, line);
        }
      : undefined;
  const platform = await createLocalPlatform({
    ...(options.masteringWorkers ? { masteringWorkers: options.masteringWorkers } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(output ? { output } : {}),
  });
  const { nats } = platform;
  if (!nats) throw new Error('the test platform starts its own nats-server');
  try {
    await platform.start();
  } catch (error) {
    await platform.close();
    throw error;
  }
  return { ...platform, nats };
}

/** The platform of a test file. */
export type Platform = Awaited<ReturnType<typeof startPlatform>>;
