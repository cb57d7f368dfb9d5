// Renders kubernetes/base and every overlay with `kubectl kustomize` and checks them as
// `pnpm validate:manifests` does; then proves each check can fail by feeding it a rendered
// object list with one thing broken. Skipped, and says so, where kubectl is not on PATH.
import { fileURLToPath } from 'node:url';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { CONSUMERS } from '@lacquer/contracts';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap } from 'kubernetes-models/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkManifests } from '../../scripts/deploy/manifests/check-manifests.ts';
import { compareObjects } from '../../scripts/deploy/manifests/compare-objects.ts';
import type { KubernetesObject } from '../../scripts/deploy/manifests/kubernetes-object.ts';
import { listKustomizations } from '../../scripts/deploy/manifests/list-kustomizations.ts';
import type { ManifestFinding } from '../../scripts/deploy/manifests/manifest-finding.ts';
import { parseManifests } from '../../scripts/deploy/manifests/parse-manifests.ts';
import {
  isKubectlAvailable,
  renderKustomization,
} from '../../scripts/deploy/manifests/render-kustomization.ts';
import { serviceEnvNames } from '../../scripts/deploy/manifests/service-env-names.ts';

const KUBERNETES_DIR = fileURLToPath(new URL('../../kubernetes', import.meta.url));
const kubectlMissing = !(await isKubectlAvailable());
const SKIPPED = kubectlMissing ? ' [SKIPPED: kubectl is not on PATH]' : '';
if (kubectlMissing) console.warn('kustomize-manifests: kubectl is not on PATH, so these tests are skipped');
const envNames = serviceEnvNames();

/** The object of `model`'s kind named `name` in `objects`, typed for editing. */
function get<T>(
  objects: KubernetesObject[],
  model: { is: (value: unknown) => value is T },
  name: string,
): KubernetesObject & T {
  const found = objects.find((object) => object.metadata.name === name && model.is(object));
  if (!found || !model.is(found)) throw new TypeError(`no such object: ${name}`);
  return found;
}

function finding(code: ManifestFinding['code'], kind: string, name: string) {
  return { code, kind, name, message: expect.any(String) };
}

describe(`kustomize manifests${SKIPPED}`, () => {
  const rendered = new Map<string, KubernetesObject[]>();

  beforeAll(async () => {
    if (kubectlMissing) return;
    for (const { name, directory } of await listKustomizations(KUBERNETES_DIR)) {
      rendered.set(name, parseManifests(await renderKustomization(directory)));
    }
  });

  /** A deep copy of the dev overlay's objects, to break one thing in. */
  function devObjects(): KubernetesObject[] {
    return structuredClone(rendered.get('dev')!);
  }

  function check(objects: readonly KubernetesObject[]): ManifestFinding[] {
    return checkManifests(objects, envNames);
  }

  it.skipIf(kubectlMissing)('renders base, dev and prod, and no object has a finding', () => {
    expect([...rendered.keys()]).toEqual(expect.arrayContaining(['base', 'dev', 'prod']));
    for (const [name, objects] of rendered) {
      expect({ name, findings: check(objects) }).toEqual({ name, findings: [] });
    }
  });

  it.skipIf(kubectlMissing)('base renders exactly the objects of the spec, with its labels', () => {
    const base = rendered.get('base')!;
    const perService = ['gateway', 'analyzer', 'decision', 'mastering'].flatMap((service) => [
      `Deployment/lacquer-${service}`,
      `Service/lacquer-${service}`,
      `PodDisruptionBudget/lacquer-${service}`,
    ]);
    const scaledObjects = ['analyzer', 'decision', 'mastering'].map(
      (worker) => `ScaledObject/lacquer-${worker}`,
    );
    expect(base.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual(
      [
        'ServiceAccount/lacquer',
        'ConfigMap/lacquer-config',
        'Secret/lacquer-secrets',
        'HorizontalPodAutoscaler/lacquer-gateway',
        ...perService,
        ...scaledObjects,
      ].sort(),
    );
    for (const object of base) {
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'lacquer',
        'app.kubernetes.io/instance': 'lacquer',
        'app.kubernetes.io/part-of': 'lacquer',
      });
    }
  });

  it.skipIf(kubectlMissing)('each overlay points KEDA at the NATS of its own namespace', () => {
    for (const [overlay, namespace] of [
      ['dev', 'lacquer-dev'],
      ['prod', 'lacquer'],
    ] as const) {
      const endpoints = rendered
        .get(overlay)!
        .flatMap((object) =>
          ScaledObject.is(object) ? [object.spec.triggers[0]?.metadata.natsServerMonitoringEndpoint] : [],
        );
      expect(endpoints).toEqual(Array(3).fill(`lacquer-nats-headless.${namespace}.svc.cluster.local:8222`));
    }
  });

  it.skipIf(kubectlMissing)('a ScaledObject on another consumer or stream than the code is a finding', () => {
    const objects = devObjects();
    const trigger = get(objects, ScaledObject, 'lacquer-mastering').spec.triggers[0]!.metadata;
    trigger.consumer = CONSUMERS.decision.durableName;
    trigger.stream = 'JOB';
    expect(check(objects)).toEqual([
      finding('TRIGGER_STREAM', 'ScaledObject', 'lacquer-mastering'),
      finding('TRIGGER_CONSUMER', 'ScaledObject', 'lacquer-mastering'),
    ]);
  });

  it.skipIf(kubectlMissing)('a monitoring endpoint KEDA resolves in the wrong namespace is a finding', () => {
    const objects = devObjects();
    const triggerOf = (name: string) => get(objects, ScaledObject, name).spec.triggers[0]!.metadata;
    triggerOf('lacquer-analyzer').natsServerMonitoringEndpoint =
      'lacquer-nats-headless.lacquer.svc.cluster.local:8222';
    triggerOf('lacquer-decision').natsServerMonitoringEndpoint = 'lacquer-nats-headless:8222';
    expect(check(objects)).toEqual([
      finding('TRIGGER_ENDPOINT', 'ScaledObject', 'lacquer-analyzer'),
      finding('TRIGGER_ENDPOINT', 'ScaledObject', 'lacquer-decision'),
    ]);
  });

  it.skipIf(kubectlMissing)(
    "a monitoring endpoint in the namespace of NATS_URL's NATS is not a finding",
    () => {
      const objects = devObjects();
      const config = get(objects, ConfigMap, 'lacquer-config');
      config.data = { ...config.data, NATS_URL: 'nats://nats.messaging.svc:4222' };
      for (const worker of ['analyzer', 'decision', 'mastering']) {
        get(objects, ScaledObject, `lacquer-${worker}`).spec
          .triggers[0]!.metadata.natsServerMonitoringEndpoint =
          'nats-headless.messaging.svc.cluster.local:8222';
      }
      expect(check(objects)).toEqual([]);
      get(objects, ScaledObject, 'lacquer-decision').spec.triggers[0]!.metadata.natsServerMonitoringEndpoint =
        'lacquer-nats-headless.lacquer-dev.svc.cluster.local:8222';
      expect(check(objects)).toEqual([finding('TRIGGER_ENDPOINT', 'ScaledObject', 'lacquer-decision')]);
    },
  );

  it.skipIf(kubectlMissing)('the objects of two renderings are compared by kind and name', () => {
    const base = rendered.get('base')!;
    expect(compareObjects(structuredClone(base), base, 'kubernetes/base')).toEqual([]);
    const chart = base.filter((object) => object.kind !== 'PodDisruptionBudget');
    chart.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lacquer-dashboards' } });
    expect(compareObjects(chart, base, 'kubernetes/base').map(({ kind, name }) => `${kind}/${name}`)).toEqual(
      [
        'PodDisruptionBudget/lacquer-analyzer',
        'PodDisruptionBudget/lacquer-decision',
        'PodDisruptionBudget/lacquer-gateway',
        'PodDisruptionBudget/lacquer-mastering',
        'ConfigMap/lacquer-dashboards',
      ],
    );
  });

  it.skipIf(kubectlMissing)('an unknown field, a schema violation and an unknown kind are findings', () => {
    const objects = devObjects();
    const mastering = get(objects, Deployment, 'lacquer-mastering').spec!;
    Object.assign(mastering, { replicass: 2 });
    Object.assign(mastering.template.spec!.containers[0]!, { imagePullPolicyy: 'Always' });
    Object.assign(get(objects, ScaledObject, 'lacquer-decision').spec, { maxReplicaCount: 'ten' });
    objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'lacquer-widget' } });
    const findings = check(objects);
    expect(findings).toEqual([
      finding('UNKNOWN_FIELD', 'Deployment', 'lacquer-mastering'),
      finding('UNKNOWN_FIELD', 'Deployment', 'lacquer-mastering'),
      finding('SCHEMA_VIOLATION', 'ScaledObject', 'lacquer-decision'),
      finding('KIND_WITHOUT_SCHEMA', 'Widget', 'lacquer-widget'),
    ]);
    // The path is the point of the finding: say where the misspelling is.
    expect(findings.slice(0, 2).map((each) => each.message)).toEqual([
      'unknown field spec.replicass',
      'unknown field spec.template.spec.containers[0].imagePullPolicyy',
    ]);
  });

  it.skipIf(kubectlMissing)(
    'a worker with both a ScaledObject and an HPA, or with neither, is a finding',
    () => {
      const objects = devObjects();
      const hpa = structuredClone(get(objects, HorizontalPodAutoscaler, 'lacquer-gateway'));
      hpa.metadata!.name = 'lacquer-mastering';
      hpa.spec!.scaleTargetRef.name = 'lacquer-mastering';
      objects.push(hpa);
      const withoutDecisionScaler = objects.filter(
        (object) => !(object.kind === 'ScaledObject' && object.metadata.name === 'lacquer-decision'),
      );
      expect(check(withoutDecisionScaler)).toEqual([
        finding('WORKER_NOT_AUTOSCALED', 'Deployment', 'lacquer-decision'),
        finding('TWO_AUTOSCALERS', 'Deployment', 'lacquer-mastering'),
      ]);
    },
  );

  it.skipIf(kubectlMissing)('a pipeline worker without a Deployment is a finding', () => {
    const withoutAnalyzer = devObjects().filter(
      (object) => object.metadata.labels?.['app.kubernetes.io/component'] !== 'analyzer',
    );
    expect(check(withoutAnalyzer)).toEqual([
      finding('WORKER_NOT_DEPLOYED', 'Deployment', 'lacquer-analyzer'),
    ]);
  });

  it.skipIf(kubectlMissing)('an environment variable the code does not read is a finding', () => {
    const objects = devObjects();
    get(objects, ConfigMap, 'lacquer-config').data!.NATS_URLS = 'nats://lacquer-nats:4222';
    const env = get(objects, Deployment, 'lacquer-mastering').spec!.template.spec!.containers[0]!.env!;
    // A typo, and the gateway's variable on a worker.
    env.push({ name: 'LACQUER_WORKER_SLOT', value: '2' });
    env.push({ name: 'LACQUER_MAX_UPLOAD_BYTES', value: '1024' });
    // Read by a library (the OpenTelemetry SDK): allowed.
    env.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://collector:4318' });
    expect(check(objects)).toEqual([
      finding('ENV_NOT_READ', 'Deployment', 'lacquer-mastering'),
      finding('ENV_NOT_READ', 'Deployment', 'lacquer-mastering'),
      finding('ENV_NOT_READ', 'ConfigMap', 'lacquer-config'),
    ]);
  });
});
