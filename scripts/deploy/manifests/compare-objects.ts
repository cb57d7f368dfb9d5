import { type KubernetesObject, objectRef } from './kubernetes-object.ts';
import type { ManifestFinding } from './manifest-finding.ts';

/**
 * An `OBJECTS_DIFFER` finding per object that only one of two renderings has, by kind and
 * name: the chart's (`objects`) against a kustomization's (`expected`, rendered from
 * `expectedFrom`). Empty when both render the same objects.
 */
export function compareObjects(
  objects: readonly KubernetesObject[],
  expected: readonly KubernetesObject[],
  expectedFrom: string,
): ManifestFinding[] {
  const refs = new Set(objects.map(objectRef));
  const expectedRefs = new Set(expected.map(objectRef));
  const finding = (ref: string, message: string): ManifestFinding => {
    const [kind = '', name = ''] = ref.split('/');
    return { code: 'OBJECTS_DIFFER', kind, name, message };
  };
  return [
    ...[...expectedRefs]
      .filter((ref) => !refs.has(ref))
      .map((ref) => finding(ref, `missing; ${expectedFrom} has it`)),
    ...[...refs].filter((ref) => !expectedRefs.has(ref)).map((ref) => finding(ref, `not in ${expectedFrom}`)),
  ];
}
