import { loadConfig, workerEnv } from '@lacquer/runtime';
import { gatewayConfigSchema } from '../../../services/gateway/src/config.ts';
import { readsEnv, serviceEnvNames } from '../manifests/service-env-names.ts';

/** What a service of the image reads from its environment. */
export interface ServiceEnvironment {
  /** Whether the service (or a library it configures from the environment) reads `name`. */
  readonly reads: (name: string) => boolean;
  /** Validates an environment as the service does at start (`loadConfig`); throws `CONFIG_INVALID`. */
  readonly load: (env: Readonly<Record<string, string>>) => void;
}

/**
 * The environment of a service of the image, from the schemas its main.ts loads:
 * `gatewayConfigSchema` for the gateway, `workerEnv` for every worker.
 */
export function serviceEnvironment(service: string): ServiceEnvironment {
  const names = serviceEnvNames();
  return service === 'gateway'
    ? {
        reads: (name) => readsEnv(names.gateway, name),
        load: (env) => {
          loadConfig(gatewayConfigSchema, env);
        },
      }
    : {
        reads: (name) => readsEnv(names.worker, name),
        load: (env) => {
          loadConfig(workerEnv, env);
        },
      };
}
