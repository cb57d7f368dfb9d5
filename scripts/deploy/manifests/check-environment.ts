import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret } from 'kubernetes-models/v1';
import { type KubernetesObject, namespaceOf } from './kubernetes-object.ts';
import { GATEWAY_SERVICE, lacquerServiceOf, pipelineWorkerOf } from './lacquer-services.ts';
import type { ManifestFinding, ManifestFindingCode } from './manifest-finding.ts';
import { readsEnv, type ServiceEnvNames } from './service-env-names.ts';

/** A ConfigMap or Secret that containers load whole (`envFrom`), and who loads it. */
interface EnvSource {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly namespace: string;
  readonly prefix: string;
  readonly readers: Map<string, ReadonlySet<string>>;
}

/**
 * Every environment variable given to a Lacquer service is one its code reads: each `env`
 * entry of a container by that container's service, each key of a ConfigMap or Secret it
 * loads with `envFrom` by at least one of the services that load it. A misspelt or retired
 * name is a finding, not a silent default. A loaded ConfigMap must be rendered; a Secret may
 * be the operator's (prod) and is checked only when rendered.
 */
export function checkEnvironment(
  objects: readonly KubernetesObject[],
  names: ServiceEnvNames,
): ManifestFinding[] {
  const findings: ManifestFinding[] = [];
  const sources = new Map<string, EnvSource>();
  for (const object of objects) {
    const service = lacquerServiceOf(object);
    if (!Deployment.is(object) || service === undefined) continue;
    const report = (code: ManifestFindingCode, message: string): void => {
      findings.push({ code, kind: object.kind, name: object.metadata.name, message });
    };
    const serviceNames =
      service === GATEWAY_SERVICE ? names.gateway : pipelineWorkerOf(object) ? names.worker : undefined;
    if (!serviceNames) {
      report(
        'UNKNOWN_SERVICE',
        `component "${service}" is not a Lacquer service (the gateway or a PIPELINE_STEPS worker)`,
      );
      continue;
    }
    const pod = object.spec?.template.spec;
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      for (const { name } of container.env ?? []) {
        if (!readsEnv(serviceNames, name)) {
          report(
            'ENV_NOT_READ',
            `container ${container.name}: env ${name} is not read by the ${service} service`,
          );
        }
      }
      for (const from of container.envFrom ?? []) {
        const ref = from.configMapRef
          ? { kind: 'ConfigMap' as const, ...from.configMapRef }
          : from.secretRef
            ? { kind: 'Secret' as const, ...from.secretRef }
            : undefined;
        if (!ref?.name) continue;
        const source: Omit<EnvSource, 'readers'> = {
          kind: ref.kind,
          name: ref.name,
          namespace: namespaceOf(object),
          prefix: from.prefix ?? '',
        };
        const key = `${source.kind}/${source.namespace}/${source.name}/${source.prefix}`;
        const known = sources.get(key) ?? { ...source, readers: new Map() };
        known.readers.set(service, serviceNames);
        sources.set(key, known);
        if (ref.kind === 'ConfigMap' && !ref.optional && !findSource(objects, source)) {
          report(
            'ENV_SOURCE_MISSING',
            `container ${container.name}: envFrom ConfigMap ${ref.name}, which is not rendered`,
          );
        }
      }
    }
  }
  for (const source of sources.values()) {
    const object = findSource(objects, source);
    if (!object) continue;
    const data = ConfigMap.is(object)
      ? object.data
      : Secret.is(object)
        ? { ...object.data, ...object.stringData }
        : undefined;
    for (const key of Object.keys(data ?? {})) {
      const name = `${source.prefix}${key}`;
      const readers = [...source.readers];
      if (!readers.some(([, serviceNames]) => readsEnv(serviceNames, name))) {
        findings.push({
          code: 'ENV_NOT_READ',
          kind: source.kind,
          name: source.name,
          message: `${name} is read by none of the services that load it (${readers.map(([service]) => service).join(', ')})`,
        });
      }
    }
  }
  return findings;
}

function findSource(
  objects: readonly KubernetesObject[],
  source: Pick<EnvSource, 'kind' | 'name' | 'namespace'>,
): KubernetesObject | undefined {
  return objects.find(
    (object) =>
      object.kind === source.kind &&
      object.metadata.name === source.name &&
      namespaceOf(object) === source.namespace,
  );
}
