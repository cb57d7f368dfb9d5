import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { findScaleTarget } from './find-scale-target.ts';
import { type KubernetesObject, objectRef } from './kubernetes-object.ts';
import { lacquerServiceOf, PIPELINE_WORKERS, pipelineWorkerOf } from './lacquer-services.ts';
import type { ManifestFinding } from './manifest-finding.ts';

/**
 * One autoscaler per workload: no Deployment is scaled by two (a ScaledObject and an HPA
 * fight over its replicas), every pipeline worker has a Deployment with exactly one (a
 * ScaledObject, or an HPA where KEDA is off), and every HPA scales something rendered.
 */
export function checkAutoscalers(objects: readonly KubernetesObject[]): ManifestFinding[] {
  const findings: ManifestFinding[] = [];
  const scalersOf = new Map<KubernetesObject, KubernetesObject[]>();
  for (const scaler of objects) {
    const ref = ScaledObject.is(scaler)
      ? scaler.spec?.scaleTargetRef
      : HorizontalPodAutoscaler.is(scaler)
        ? scaler.spec?.scaleTargetRef
        : undefined;
    if (!ref) continue;
    const target = findScaleTarget(objects, scaler, ref);
    if (target) scalersOf.set(target, [...(scalersOf.get(target) ?? []), scaler]);
    else if (HorizontalPodAutoscaler.is(scaler)) {
      findings.push({
        code: 'SCALE_TARGET_MISSING',
        kind: scaler.kind,
        name: scaler.metadata.name,
        message: `scales ${ref.kind} ${ref.name}, which is not rendered`,
      });
    }
  }
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const scalers = scalersOf.get(object) ?? [];
    const at = { kind: object.kind, name: object.metadata.name };
    if (scalers.length > 1) {
      findings.push({
        ...at,
        code: 'TWO_AUTOSCALERS',
        message: `scaled by ${scalers.map(objectRef).join(' and ')}: one autoscaler per Deployment, never both`,
      });
    }
    const worker = pipelineWorkerOf(object);
    if (worker && scalers.length === 0) {
      findings.push({
        ...at,
        code: 'WORKER_NOT_AUTOSCALED',
        message: `the ${worker} worker has no ScaledObject and no HPA`,
      });
    }
  }
  const deployed = new Set(objects.filter((object) => object.kind === 'Deployment').map(lacquerServiceOf));
  for (const worker of PIPELINE_WORKERS) {
    if (!deployed.has(worker)) {
      findings.push({
        code: 'WORKER_NOT_DEPLOYED',
        kind: 'Deployment',
        name: `lacquer-${worker}`,
        message: `not rendered: no Deployment of the ${worker} worker (PIPELINE_STEPS)`,
      });
    }
  }
  return findings;
}
