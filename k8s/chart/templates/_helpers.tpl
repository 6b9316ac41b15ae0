{{/* Labels of every object: the app label the tests and selectors rely on, plus Helm's recommended ones. */}}
{{- define "isoflop.labels" -}}
app.kubernetes.io/name: isoflop
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* The scheduler pod's labels: the Deployment's and the Service's selector (unchanged since the plain manifests). */}}
{{- define "isoflop.schedulerSelector" -}}
app.kubernetes.io/name: isoflop
app.kubernetes.io/component: scheduler
{{- end }}

{{/* repository:tag of an image value ({repository, tag}), the tag defaulting to the chart's appVersion. */}}
{{- define "isoflop.image" -}}
{{- $image := index . 0 -}}
{{- $root := index . 1 -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end }}

{{/* "true" when the object store needs settings in the pods (endpoint, region, addressing or keys). */}}
{{- define "isoflop.objectStoreSettings" -}}
{{- $store := .Values.storage.objectStore -}}
{{- if or $store.endpoint $store.region $store.pathStyle $store.credentialsSecret -}}true{{- end -}}
{{- end }}
