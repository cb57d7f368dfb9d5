import { type KubernetesObject, namespaceOf } from './kubernetes-object.ts';

/** What an HPA's or a ScaledObject's `scaleTargetRef` names. */
export interface ScaleTargetRef {
  readonly kind?: string;
  readonly name: string;
}

/**
 * The object `ref` names among `objects`, in the scaler's namespace; KEDA's default kind is
 * Deployment. `undefined` when it is not rendered.
 */
export function findScaleTarget(
  objects: readonly KubernetesObject[],
  scaler: KubernetesObject,
  ref: ScaleTargetRef | undefined,
): KubernetesObject | undefined {
  const kind = ref?.kind ?? 'Deployment';
  return objects.find(
    (object) =>
      object.kind === kind &&
      object.metadata.name === ref?.name &&
      namespaceOf(object) === namespaceOf(scaler),
  );
}
