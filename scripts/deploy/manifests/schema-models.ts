import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';

/** A kubernetes-models class: its type meta and the schema validator on its prototype. */
export interface SchemaModel {
  readonly apiVersion: string;
  readonly kind: string;
  /** Validates `this` against the schema; throws a ValidationError listing every violation. */
  readonly prototype: { validate(): void };
}

/** The classes of every kind the manifests may render; any other kind is a finding. */
const MODELS: readonly SchemaModel[] = [
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  Namespace,
  PersistentVolumeClaim,
  PodDisruptionBudget,
  ScaledObject,
  Secret,
  Service,
  ServiceAccount,
  ServiceMonitor,
  StatefulSet,
];

/** The model of `apiVersion` and `kind`, or `undefined` for a kind the manifests should not have. */
export function schemaModelOf(apiVersion: string, kind: string): SchemaModel | undefined {
  return MODELS.find((model) => model.apiVersion === apiVersion && model.kind === kind);
}
