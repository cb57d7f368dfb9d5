{{/*
Names, labels and pieces shared by the Lacquer templates.
*/}}

{{/* The chart name, for the app.kubernetes.io/name label. */}}
{{- define "lacquer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The prefix of every object's name. The release name alone when it contains the chart name,
so release "lacquer" gives "lacquer-gateway", "lacquer-config", … (the names of kubernetes/base).
*/}}
{{- define "lacquer.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "lacquer-0.1.0", for the helm.sh/chart label. */}}
{{- define "lacquer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The name of one service's objects. Takes (dict "root" $ "component" "gateway"). */}}
{{- define "lacquer.componentName" -}}
{{- printf "%s-%s" (include "lacquer.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels without a component (the ServiceAccount; the rest add theirs through lacquer.labels). */}}
{{- define "lacquer.commonLabels" -}}
app.kubernetes.io/name: {{ include "lacquer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: lacquer
helm.sh/chart: {{ include "lacquer.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one service. Takes (dict "root" $ "component" "gateway"). */}}
{{- define "lacquer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lacquer.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one service's objects. Takes (dict "root" $ "component" "gateway"). */}}
{{- define "lacquer.labels" -}}
{{ include "lacquer.commonLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Labels of one service's pods: no chart version, so a chart upgrade alone restarts no pod.
Takes (dict "root" $ "component" "gateway").
*/}}
{{- define "lacquer.podLabels" -}}
{{ include "lacquer.selectorLabels" . }}
app.kubernetes.io/part-of: lacquer
{{- end -}}

{{/* "repository:tag", the tag defaulting to appVersion. Takes (dict "root" $ "image" .Values.image). */}}
{{- define "lacquer.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .root.Chart.AppVersion | toString) -}}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "lacquer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lacquer.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret every pod takes LACQUER_API_KEYS, MONGODB_URL and AWS_* from. */}}
{{- define "lacquer.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-secrets" (include "lacquer.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
The full name a Helm-convention subchart gives its objects: its fullnameOverride, else the
release name alone when it contains the subchart's name, else "<release>-<name>". The NATS and
the Bitnami MongoDB charts both follow this rule ("lacquer" gives "lacquer-nats",
"lacquer-mongodb"; a release "my-nats" would give "my-nats"). Takes
(dict "root" $ "chart" "nats" "values" .Values.nats).
*/}}
{{- define "lacquer.subchartFullname" -}}
{{- if .values.fullnameOverride -}}
{{- .values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .chart .values.nameOverride -}}
{{- if contains $name .root.Release.Name -}}
{{- .root.Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .root.Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The bundled NATS chart's client Service, "lacquer-nats" for release "lacquer". */}}
{{- define "lacquer.natsFullname" -}}
{{- include "lacquer.subchartFullname" (dict "root" . "chart" "nats" "values" .Values.nats) -}}
{{- end -}}

{{/* NATS_URL: externalNats.url, else the bundled NATS's client Service. */}}
{{- define "lacquer.natsUrl" -}}
{{- if .Values.externalNats.url -}}
{{- .Values.externalNats.url -}}
{{- else if .Values.nats.enabled -}}
{{- printf "nats://%s:4222" (include "lacquer.natsFullname" .) -}}
{{- else -}}
{{- fail "nats.enabled is false: set externalNats.url (e.g. nats://nats.messaging.svc:4222)" -}}
{{- end -}}
{{- end -}}

{{/*
host:port of the NATS monitoring endpoint KEDA's nats-jetstream scaler reads /jsz from:
externalNats.monitoringEndpoint, else the bundled NATS's headless Service (it lists every
server, which the scaler needs for a cluster) on the monitor port.
*/}}
{{- define "lacquer.natsMonitoringEndpoint" -}}
{{- if .Values.externalNats.monitoringEndpoint -}}
{{- .Values.externalNats.monitoringEndpoint -}}
{{- else if .Values.nats.enabled -}}
{{- $monitor := .Values.nats.config.monitor | default dict -}}
{{- if not $monitor.enabled -}}
{{- fail "keda.enabled is true but nats.config.monitor.enabled is false: KEDA reads the consumers' lag from the NATS monitoring port (enable it, or set keda.enabled=false)" -}}
{{- end -}}
{{- printf "%s-headless.%s.svc.cluster.local:%d" (include "lacquer.natsFullname" .) .Release.Namespace ($monitor.port | default 8222 | int) -}}
{{- else -}}
{{- fail "nats.enabled is false and keda.enabled is true: set externalNats.monitoringEndpoint (host:port of the NATS monitoring endpoint, e.g. nats-headless.messaging.svc.cluster.local:8222)" -}}
{{- end -}}
{{- end -}}

{{/*
MONGODB_URL for the chart's Secret: externalMongodb.url, else the bundled MongoDB with the
first user, password and database of mongodb.auth (no credentials while mongodb.auth.enabled
is false: the server then has no users to authenticate against). The user and password are
percent-encoded (urlquery writes a space as "+", which a connection string does not decode).
*/}}
{{- define "lacquer.mongodbUrl" -}}
{{- if .Values.externalMongodb.url -}}
{{- .Values.externalMongodb.url -}}
{{- else if .Values.mongodb.enabled -}}
{{- $auth := .Values.mongodb.auth | default dict -}}
{{- $host := include "lacquer.subchartFullname" (dict "root" . "chart" "mongodb" "values" .Values.mongodb) -}}
{{- if not $auth.enabled -}}
{{- printf "mongodb://%s:27017/%s" $host .Values.readModel.database -}}
{{- else -}}
{{- $user := required "mongodb.auth.usernames: name the user Lacquer connects as (e.g. [lacquer])" (first (default (list) $auth.usernames)) | toString -}}
{{- $password := required "mongodb.auth.passwords: set the password of mongodb.auth.usernames[0] (or set secrets.existingSecret with MONGODB_URL)" (first (default (list) $auth.passwords)) | toString -}}
{{- $database := required "mongodb.auth.databases: name the database of mongodb.auth.usernames[0] (e.g. [lacquer])" (first (default (list) $auth.databases)) | toString -}}
{{- if ne $database .Values.readModel.database -}}
{{- fail (printf "readModel.database (%s) must be mongodb.auth.databases[0] (%s): the user may only write there" .Values.readModel.database $database) -}}
{{- end -}}
{{- printf "mongodb://%s:%s@%s:27017/%s?authSource=%s" (urlquery $user | replace "+" "%20") (urlquery $password | replace "+" "%20") $host $database $database -}}
{{- end -}}
{{- else -}}
{{- fail "readModel.type is mongodb but mongodb.enabled is false: set externalMongodb.url or externalMongodb.existingSecret (or readModel.type kv)" -}}
{{- end -}}
{{- end -}}

{{/*
The entry of one worker in files/pipeline.json (written from @lacquer/contracts by
`pnpm chart:pipeline`), as JSON: its stream, durable consumer and filter subject. Fails for a
worker the code has no consumer for. Takes (dict "root" $ "name" "analyzer").
*/}}
{{- define "lacquer.workerConsumer" -}}
{{- $pipeline := .root.Files.Get "files/pipeline.json" | fromJson -}}
{{- $workers := required "files/pipeline.json is missing or has no workers: run pnpm chart:pipeline" $pipeline.workers -}}
{{- $consumer := get $workers .name -}}
{{- if not $consumer -}}
{{- fail (printf "workers.%s is enabled but the code has no %q consumer (files/pipeline.json, from PIPELINE_STEPS in @lacquer/contracts): set workers.%s.enabled=false, or add the service and its pipeline step and run pnpm chart:pipeline" .name .name .name) -}}
{{- end -}}
{{- toJson $consumer -}}
{{- end -}}

{{/* The pod securityContext of every service (the image's user is 10001). */}}
{{- define "lacquer.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The container securityContext of every service. */}}
{{- define "lacquer.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end -}}

{{/*
envFrom of every container: the ConfigMap, then the Secret.
*/}}
{{- define "lacquer.envFrom" -}}
- configMapRef:
    name: {{ include "lacquer.fullname" . }}-config
- secretRef:
    name: {{ include "lacquer.secretName" . }}
{{- end -}}

{{/*
env entries taken from Secrets other than the chart's (s3.existingSecret,
externalMongodb.existingSecret); an env entry wins over the same name from envFrom.
Empty when neither is set.
*/}}
{{- define "lacquer.secretRefEnv" -}}
{{- if .Values.s3.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.existingSecretAccessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.existingSecretSecretAccessKeyKey }}
{{- end }}
{{- if and (eq .Values.readModel.type "mongodb") .Values.externalMongodb.existingSecret }}
- name: MONGODB_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalMongodb.existingSecret }}
      key: {{ .Values.externalMongodb.existingSecretKey }}
{{- end }}
{{- end -}}

{{/*
Pod annotations: podAnnotations and checksums of the ConfigMap and the chart's Secret, so
that pods restart when either changes.
*/}}
{{- define "lacquer.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}
