import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningWorkerService, startWorkerService, workerEnv } from '@lacquer/runtime';
import { freePort } from '@lacquer/testing/free-port';
import { type NatsServer, startNatsServer } from '@lacquer/testing/nats-server';
import { analyzerService } from '../../services/analyzer/src/analyzer-service.ts';
import { decisionService } from '../../services/decision/src/decision-service.ts';
import { gatewayConfigSchema } from '../../services/gateway/src/config.ts';
import { type RunningGateway, startGateway } from '../../services/gateway/src/start-gateway.ts';
import { masteringService } from '../../services/mastering/src/mastering-service.ts';

/** The whole platform in the test's own process, so that one tracer provider sees every span. */
export interface InProcessPlatform {
  readonly nats: NatsServer;
  readonly gatewayUrl: string;
  readonly apiKey: string;
  /** Each worker's health and metrics address, by service name. */
  readonly workerAddresses: Readonly<Record<'analyzer' | 'decision' | 'mastering', string>>;
  close(): Promise<void>;
}

/**
 * Starts a nats-server (temp store, free ports), the gateway (file-system blob store in a
 * temp dir, KV read model) and the analyzer, decision and mastering workers in this process,
 * each as its `main.ts` would but without the process-wide parts (tracing, signals): the test
 * registers its own tracer provider.
 */
export async function startInProcessPlatform(): Promise<InProcessPlatform> {
  const nats = await startNatsServer();
  const blobDir = await mkdtemp(join(tmpdir(), 'lacquer-in-process-'));
  const apiKey = 'in-process-test-key';
  const port = await freePort();
  const env = {
    NATS_URL: nats.url,
    LOG_LEVEL: 'silent',
    LACQUER_BLOB_DIR: blobDir,
    LACQUER_SIGNING_SECRET: 'in-process-test-signing-secret-of-32-chars',
    LACQUER_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  const started: { stop(): Promise<void> }[] = [];
  const close = async () => {
    for (const service of started.reverse()) await service.stop();
    await nats.close();
    await rm(blobDir, { recursive: true, force: true });
  };
  try {
    const gateway: RunningGateway = await startGateway(
      loadConfig(gatewayConfigSchema, { ...env, PORT: String(port), LACQUER_API_KEY: apiKey }),
    );
    started.push(gateway);
    const workerConfig = loadConfig(workerEnv, { ...env, PORT: '0' });
    const workers: Record<string, RunningWorkerService> = {};
    for (const service of [analyzerService, decisionService, masteringService]) {
      const definition = service(workerConfig);
      workers[definition.name] = await startWorkerService(definition);
      started.push(workers[definition.name]!);
    }
    return {
      nats,
      gatewayUrl: gateway.url,
      apiKey,
      workerAddresses: {
        analyzer: workers.analyzer!.address,
        decision: workers.decision!.address,
        mastering: workers.mastering!.address,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
