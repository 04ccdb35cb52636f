{{/* Names ------------------------------------------------------------------------------------- */}}

{{- define "modelyard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name; resources add a suffix (-api, -worker, ...), so keep room for it. */}}
{{- define "modelyard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "modelyard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "modelyard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels ------------------------------------------------------------------------------------ */}}

{{- define "modelyard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "modelyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "modelyard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "modelyard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: modelyard
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "ctx" $ "component" "api"). */}}
{{- define "modelyard.componentSelectorLabels" -}}
{{ include "modelyard.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "modelyard.componentLabels" -}}
{{ include "modelyard.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Pod template labels: no chart version, so a chart-only upgrade does not restart every pod. */}}
{{- define "modelyard.podLabels" -}}
{{ include "modelyard.componentSelectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: modelyard
{{- end -}}

{{/* Images ------------------------------------------------------------------------------------ */}}

{{/* Call with (dict "image" .Values.api.image "ctx" $). */}}
{{- define "modelyard.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "modelyard.migrationImage" -}}
{{- $repo := default .Values.api.image.repository .Values.migration.image.repository -}}
{{- $tag := default (default .Chart.AppVersion .Values.api.image.tag) .Values.migration.image.tag -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* Connections ------------------------------------------------------------------------------- */}}

{{- define "modelyard.jdbcUrl" -}}
{{- with .Values.postgresql -}}
{{- printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" .host (int .port) .database .sslMode -}}
{{- end -}}
{{- end -}}

{{- define "modelyard.workerUrl" -}}
{{- printf "http://%s-worker:8080" (include "modelyard.fullname" .) -}}
{{- end -}}

{{/* Security ---------------------------------------------------------------------------------- */}}

{{- define "modelyard.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "modelyard.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment ------------------------------------------------------------------------------- */}}

{{/* Secrets every long-running role needs, always by reference. */}}
{{- define "modelyard.secretEnv" -}}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.app.existingSecret }}
      key: {{ .Values.postgresql.app.usernameKey }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.app.existingSecret }}
      key: {{ .Values.postgresql.app.passwordKey }}
- name: MODELYARD_DATABASE_OPERATOR_CREDENTIAL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.operatorCredential.existingSecret }}
      key: {{ .Values.postgresql.operatorCredential.key }}
- name: MODELYARD_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.internalToken.existingSecret }}
      key: {{ .Values.internalToken.key }}
{{- if .Values.keycloak.clientSecret.existingSecret }}
- name: QUARKUS_OIDC_CREDENTIALS_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.keycloak.clientSecret.existingSecret }}
      key: {{ .Values.keycloak.clientSecret.key }}
{{- end }}
{{- if and (eq .Values.storage.type "s3") .Values.storage.s3.credentials.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.storage.s3.credentials.existingSecret }}
      key: {{ .Values.storage.s3.credentials.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.storage.s3.credentials.existingSecret }}
      key: {{ .Values.storage.s3.credentials.secretAccessKeyKey }}
{{- end }}
{{- end -}}

{{/* Volumes: a read-only root filesystem needs a writable /tmp, and the filesystem store a data dir. */}}
{{/* The portal's secret: only the API serves the portal, and every API replica needs the same one. */}}
{{- define "modelyard.portalEnv" -}}
- name: MODELYARD_PORTAL_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.portal.secret.existingSecret }}
      key: {{ .Values.portal.secret.key }}
{{- end -}}

{{/* The API's scratch disk for tabular ingests, and the budget it holds to (90% of its size). */}}
{{- define "modelyard.apiScratchEnv" -}}
- name: MODELYARD_DATASETS_WORK_DIR
  value: /var/lib/modelyard/scratch
- name: MODELYARD_DATASETS_SCRATCH_MAX_BYTES
  value: {{ div (mul .Values.api.scratch.sizeGi 1073741824 9) 10 | quote }}
{{- end -}}
{{- define "modelyard.apiScratchMount" -}}
- name: scratch
  mountPath: /var/lib/modelyard/scratch
{{- end -}}
{{- define "modelyard.apiScratchVolume" -}}
- name: scratch
  emptyDir:
    sizeLimit: {{ .Values.api.scratch.sizeGi }}Gi
{{- end -}}

{{- define "modelyard.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .tmpSize }}
- name: master-key
  secret:
    secretName: {{ .ctx.Values.encryption.masterKey.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .ctx.Values.encryption.masterKey.key }}
        path: keyset.json
{{- if eq .ctx.Values.storage.type "filesystem" }}
- name: blobs
{{- if .ctx.Values.storage.filesystem.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .ctx.Values.storage.filesystem.existingClaim }}
{{- else }}
  emptyDir:
    sizeLimit: {{ .ctx.Values.storage.filesystem.sizeLimit }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "modelyard.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: master-key
  mountPath: /etc/modelyard/master-key
  readOnly: true
{{- if eq .Values.storage.type "filesystem" }}
- name: blobs
  mountPath: {{ .Values.storage.filesystem.dir }}
{{- end }}
{{- end -}}

{{- define "modelyard.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: {{ .startupPeriod }}
  failureThreshold: {{ .startupFailures }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}
