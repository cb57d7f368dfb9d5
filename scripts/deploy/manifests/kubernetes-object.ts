/** One rendered Kubernetes object: what every check can rely on before its schema is checked. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** The label that says which Lacquer service (or part) an object belongs to. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** The label whose value `lacquer` marks the objects of Lacquer itself (not its NATS or MinIO). */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The namespace `object` lands in; `default` when the manifests leave it to kubectl. */
export function namespaceOf(object: KubernetesObject): string {
  return object.metadata.namespace ?? 'default';
}

/** True for an object of Lacquer itself (`app.kubernetes.io/name: lacquer`). */
export function isLacquerObject(object: KubernetesObject): boolean {
  return object.metadata.labels?.[NAME_LABEL] === 'lacquer';
}

/** `kind/name`, as findings and summaries name an object. */
export function objectRef(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
