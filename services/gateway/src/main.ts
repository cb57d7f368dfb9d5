import { createLogger, loadConfig, shutdownOnSignal, startService, startTracing } from '@lacquer/runtime';
import { gatewayConfigSchema } from './config.ts';
import { startGateway } from './start-gateway.ts';

// The gateway process: settings, tracing, the gateway (startGateway), and a clean shutdown on
// SIGTERM that flushes the spans last.

await startService('gateway', async () => {
  const config = loadConfig(gatewayConfigSchema, process.env);
  // The config holds the key's hash only; drop the plaintext from the environment too.
  delete process.env.LACQUER_API_KEY;
  delete process.env.LACQUER_ADMIN_API_KEY;
  const tracing = startTracing('gateway');
  const gateway = await startGateway(config);
  shutdownOnSignal(
    async () => {
      await gateway.stop();
      await tracing.shutdown();
    },
    createLogger('gateway', config.LOG_LEVEL),
  );
});
