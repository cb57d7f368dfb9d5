import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from './kubernetes-object.ts';

/**
 * The objects of a multi-document YAML stream (`kubectl kustomize` output), in order; empty
 * documents are skipped.
 *
 * @throws Error on a YAML syntax error or a document that is not an object with string
 *   `apiVersion`, `kind` and `metadata.name` (kustomize never renders one).
 */
export function parseManifests(text: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    const [error] = document.errors;
    if (error) throw new Error(`document ${index + 1}: ${error.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    if (!isKubernetesObject(value)) {
      throw new Error(`document ${index + 1}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
    }
    objects.push(value);
  });
  return objects;
}

function isKubernetesObject(value: unknown): value is KubernetesObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  return (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>).name === 'string'
  );
}
