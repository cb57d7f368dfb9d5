/** What kind of problem a finding is; stable, so that tests assert codes, not messages. */
export type ManifestFindingCode =
  /** `kubectl kustomize` failed or rendered something that is not Kubernetes objects. */
  | 'RENDER_FAILED'
  /** One rendering (the chart's) has an object the other (a kustomization) has not, or lacks one. */
  | 'OBJECTS_DIFFER'
  /** An apiVersion and kind without a schema here: not a kind Lacquer deploys. */
  | 'KIND_WITHOUT_SCHEMA'
  /** The schema validator rejects the object (type, required field, enum, format). */
  | 'SCHEMA_VIOLATION'
  /** A field the schema does not define (a misspelling, or a field of another version). */
  | 'UNKNOWN_FIELD'
  /** A ScaledObject or HPA scales an object that is not rendered. */
  | 'SCALE_TARGET_MISSING'
  /** A ScaledObject scales something that is not a pipeline worker. */
  | 'SCALE_TARGET_NOT_WORKER'
  /** A ScaledObject without a trigger, or with one that is not `nats-jetstream`. */
  | 'TRIGGER_TYPE'
  /** A trigger's stream is not `JOBS_STREAM_NAME`. */
  | 'TRIGGER_STREAM'
  /** A trigger's consumer is not the scaled worker's durable consumer. */
  | 'TRIGGER_CONSUMER'
  /** A trigger's monitoring endpoint cannot reach this namespace's NATS. */
  | 'TRIGGER_ENDPOINT'
  /** A Deployment with two autoscalers (a ScaledObject and an HPA, or two of one). */
  | 'TWO_AUTOSCALERS'
  /** A pipeline worker's Deployment without an autoscaler. */
  | 'WORKER_NOT_AUTOSCALED'
  /** A pipeline worker without a Deployment. */
  | 'WORKER_NOT_DEPLOYED'
  /** A Lacquer Deployment whose component is not a Lacquer service. */
  | 'UNKNOWN_SERVICE'
  /** An environment variable no service that gets it reads. */
  | 'ENV_NOT_READ'
  /** A ConfigMap loaded with `envFrom` that is not rendered. */
  | 'ENV_SOURCE_MISSING';

/** Something wrong with one rendered object. */
export interface ManifestFinding {
  readonly code: ManifestFindingCode;
  readonly kind: string;
  readonly name: string;
  readonly message: string;
}

/** `<overlay> <kind>/<name>: <message>`, one line per finding. */
export function formatFinding(overlay: string, finding: ManifestFinding): string {
  return `${overlay} ${finding.kind}/${finding.name}: ${finding.message}`;
}
