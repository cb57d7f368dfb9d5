import type { KubernetesObject } from './kubernetes-object.ts';
import type { ManifestFinding } from './manifest-finding.ts';
import { schemaModelOf } from './schema-models.ts';
import { validateStrictly } from './validate-strictly.ts';

/**
 * Every object against its Kubernetes (or KEDA) schema, strictly: a kind without a schema,
 * a schema violation and a field the schema does not define are each a finding.
 */
export function checkSchemas(objects: readonly KubernetesObject[]): ManifestFinding[] {
  return objects.flatMap((object): ManifestFinding[] => {
    const at = { kind: object.kind, name: object.metadata.name };
    const model = schemaModelOf(object.apiVersion, object.kind);
    if (!model) {
      return [
        {
          ...at,
          code: 'KIND_WITHOUT_SCHEMA',
          message: `no schema for ${object.apiVersion} ${object.kind}: not a kind Lacquer deploys`,
        },
      ];
    }
    const { errors, unknownFields } = validateStrictly(model, object);
    return [
      ...errors.map((error) => ({ ...at, code: 'SCHEMA_VIOLATION' as const, message: `schema: ${error}` })),
      ...unknownFields.map((field) => ({
        ...at,
        code: 'UNKNOWN_FIELD' as const,
        message: `unknown field ${field}`,
      })),
    ];
  });
}
