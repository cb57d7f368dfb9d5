import { platformEnv, portEnv, workerEnv } from '@lacquer/runtime';
import { gatewayEnv } from '../../../services/gateway/src/config.ts';

/** The environment variables each kind of Lacquer service reads, from its zod schema. */
export interface ServiceEnvNames {
  /** `platformEnv`, `PORT` and the gateway's own (`gatewayEnv`). */
  readonly gateway: ReadonlySet<string>;
  /** `workerEnv` (which extends `platformEnv`). */
  readonly worker: ReadonlySet<string>;
}

/**
 * Read by libraries rather than by a Lacquer schema: the OpenTelemetry SDK (`OTEL_*`) and
 * the AWS SDK's credential chain (`AWS_*`).
 */
export const LIBRARY_ENV_PREFIXES: readonly string[] = ['OTEL_', 'AWS_'];

/** The names the code reads today, taken from the schemas themselves. */
export function serviceEnvNames(): ServiceEnvNames {
  const platform = Object.keys(platformEnv.shape);
  return {
    gateway: new Set([...platform, ...Object.keys(portEnv(0).shape), ...Object.keys(gatewayEnv.shape)]),
    worker: new Set(Object.keys(workerEnv.shape)),
  };
}

/** True when a service with `names` reads `name`, itself or through a library. */
export function readsEnv(names: ReadonlySet<string>, name: string): boolean {
  return names.has(name) || LIBRARY_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}
