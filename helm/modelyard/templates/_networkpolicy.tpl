{{/* Egress rules and peers shared by the NetworkPolicies. */}}

{{- define "modelyard.np.dnsEgress" -}}
# DNS, wherever the cluster resolver runs (kube-dns, NodeLocal DNSCache).
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}

{{- define "modelyard.np.databaseEgress" -}}
{{- $pg := .Values.postgresql -}}
# The database.
- to:
    {{- if $pg.inCluster.enabled }}
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ default .Release.Namespace $pg.inCluster.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml $pg.inCluster.podLabels | nindent 10 }}
    {{- else }}
    - ipBlock:
        cidr: {{ $pg.cidr }}
    {{- end }}
  ports:
    - port: {{ $pg.port }}
      protocol: TCP
{{- end }}

{{- define "modelyard.np.httpsEgress" -}}
# Keycloak and the S3 store.
- to:
    {{- range .Values.networkPolicy.https.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - port: {{ .Values.networkPolicy.https.port }}
      protocol: TCP
{{- end }}

{{- define "modelyard.np.monitoringPeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .Values.networkPolicy.monitoring.namespace }}
  podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.monitoring.podLabels | nindent 6 }}
{{- end }}
