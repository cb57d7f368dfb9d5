import { checkAutoscalers } from './check-autoscalers.ts';
import { checkEnvironment } from './check-environment.ts';
import { checkScaledObjects } from './check-scaled-objects.ts';
import { checkSchemas } from './check-schemas.ts';
import type { KubernetesObject } from './kubernetes-object.ts';
import type { ManifestFinding } from './manifest-finding.ts';
import type { ServiceEnvNames } from './service-env-names.ts';

/**
 * Every check on the objects one kustomization renders: schemas (strict), ScaledObjects
 * against the code's stream and consumers, one autoscaler per workload, and environment
 * names against the services' config schemas. Empty when all is well.
 */
export function checkManifests(
  objects: readonly KubernetesObject[],
  envNames: ServiceEnvNames,
): ManifestFinding[] {
  return [
    ...checkSchemas(objects),
    ...checkScaledObjects(objects),
    ...checkAutoscalers(objects),
    ...checkEnvironment(objects, envNames),
  ];
}
