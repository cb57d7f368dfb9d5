import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { CONSUMERS, JOBS_STREAM_NAME } from '@lacquer/contracts';
import { findScaleTarget } from './find-scale-target.ts';
import { type KubernetesObject, namespaceOf } from './kubernetes-object.ts';
import { pipelineWorkerOf } from './lacquer-services.ts';
import type { ManifestFinding, ManifestFindingCode } from './manifest-finding.ts';

/**
 * Every KEDA ScaledObject against the code: it scales a rendered worker Deployment (a
 * `PIPELINE_STEPS` worker), and each trigger is `nats-jetstream` on stream
 * `JOBS_STREAM_NAME` and that worker's durable consumer (`CONSUMERS[worker].durableName`),
 * through a monitoring endpoint of the NATS the services use (`NATS_URL`): in its namespace.
 */
export function checkScaledObjects(objects: readonly KubernetesObject[]): ManifestFinding[] {
  const findings: ManifestFinding[] = [];
  for (const object of objects) {
    if (!ScaledObject.is(object)) continue;
    const report = (code: ManifestFindingCode, message: string): void => {
      findings.push({ code, kind: object.kind, name: object.metadata.name, message });
    };
    const ref = object.spec?.scaleTargetRef;
    const target = findScaleTarget(objects, object, ref);
    if (!target) {
      report(
        'SCALE_TARGET_MISSING',
        `scales ${ref?.kind ?? 'Deployment'} ${ref?.name}, which is not rendered`,
      );
      continue;
    }
    const worker = target.kind === 'Deployment' ? pipelineWorkerOf(target) : undefined;
    if (!worker) {
      report(
        'SCALE_TARGET_NOT_WORKER',
        `scales ${target.kind}/${target.metadata.name}, which is not a pipeline worker (PIPELINE_STEPS)`,
      );
      continue;
    }
    const triggers = object.spec?.triggers ?? [];
    if (triggers.length === 0) report('TRIGGER_TYPE', 'no trigger');
    triggers.forEach((trigger, index) => {
      const at = `trigger ${index + 1}`;
      if (trigger.type !== 'nats-jetstream') {
        report(
          'TRIGGER_TYPE',
          `${at} is "${trigger.type}", not "nats-jetstream" (the lag of the worker's consumer)`,
        );
        return;
      }
      const { stream, consumer, natsServerMonitoringEndpoint } = trigger.metadata ?? {};
      if (stream !== JOBS_STREAM_NAME) {
        report(
          'TRIGGER_STREAM',
          `${at}: stream "${stream}", but the code's is "${JOBS_STREAM_NAME}" (JOBS_STREAM_NAME)`,
        );
      }
      const durableName = CONSUMERS[worker].durableName;
      if (consumer !== durableName) {
        report(
          'TRIGGER_CONSUMER',
          `${at}: consumer "${consumer}", but the ${worker} worker consumes with "${durableName}" (CONSUMERS)`,
        );
      }
      const problem = endpointProblem(natsServerMonitoringEndpoint, natsNamespace(objects, object));
      if (problem) report('TRIGGER_ENDPOINT', `${at}: natsServerMonitoringEndpoint ${problem}`);
    });
  }
  return findings;
}

/**
 * The namespace of the NATS that the services of `object`'s namespace use: the host of the
 * first `NATS_URL` in a rendered ConfigMap (`nats`: this namespace; `nats.<ns>` or
 * `nats.<ns>.svc…`: `<ns>`), or `undefined` for a NATS outside cluster DNS. Without a
 * `NATS_URL`, this namespace.
 */
function natsNamespace(objects: readonly KubernetesObject[], object: KubernetesObject): string | undefined {
  const namespace = namespaceOf(object);
  const url = objects
    .filter((candidate) => candidate.kind === 'ConfigMap' && namespaceOf(candidate) === namespace)
    .map((configMap) => (configMap.data as Record<string, string> | undefined)?.NATS_URL)
    .find((value) => value !== undefined);
  const host = url ? /^\w+:\/\/([^:/,\s]+)/.exec(url)?.[1] : undefined;
  if (host === undefined) return namespace;
  const labels = host.split('.');
  if (labels.length === 1) return namespace;
  return labels.length === 2 || labels[2] === 'svc' ? labels[1] : undefined;
}

/**
 * Why `endpoint` cannot reach the monitor of the NATS in `natsNamespace`, or `undefined`.
 * KEDA's operator resolves the name from its own namespace: a short name finds nothing (or
 * another NATS), and `<service>.<ns>.svc…` must name the NATS's namespace. With a NATS
 * outside cluster DNS (`natsNamespace` undefined) a qualified name is taken as written.
 */
function endpointProblem(
  endpoint: string | undefined,
  natsNamespace: string | undefined,
): string | undefined {
  if (endpoint === undefined) return 'is missing';
  const match = /^([^:/\s]+):(\d+)$/.exec(endpoint);
  if (!match) return `"${endpoint}" is not host:port`;
  const labels = match[1]!.split('.');
  const qualified = `${labels[0]}.${natsNamespace ?? '<namespace>'}.svc.cluster.local:${match[2]}`;
  if (labels.length === 1) {
    return `"${endpoint}" is a short name, which KEDA resolves in its own namespace; use "${qualified}"`;
  }
  if (natsNamespace !== undefined && labels[2] === 'svc' && labels[1] !== natsNamespace) {
    return `"${endpoint}" names namespace "${labels[1]}", but NATS_URL's NATS is in "${natsNamespace}"; use "${qualified}"`;
  }
  return undefined;
}
