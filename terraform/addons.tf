# What the cluster needs for isoflop's GPU Jobs, installed with Helm (providers.tf): NVIDIA's device plugin always
# (without it no node advertises nvidia.com/gpu and GPU Jobs never schedule); as options kube-prometheus-stack,
# Kueue with isoflop's queues, and the isoflop chart itself (k8s/chart). Every release pins its chart version and
# waits for the node groups (something must run its pods); isoflop comes last, after what it uses.

resource "helm_release" "nvidia_device_plugin" {
  count      = var.install_nvidia_device_plugin ? 1 : 0
  name       = "nvidia-device-plugin"
  repository = "https://nvidia.github.io/k8s-device-plugin"
  chart      = "nvidia-device-plugin"
  version    = "0.17.0"
  namespace  = "kube-system"

  # Only on the GPU nodes: the label aws_eks_node_group.gpu sets (also what the chart's default affinity accepts)...
  set {
    name  = "nodeSelector.nvidia\\.com/gpu\\.present"
    value = "true"
    type  = "string"
  }

  # ...tolerating the taint that keeps everything else off them (this list replaces the chart's default tolerations)
  set {
    name  = "tolerations[0].key"
    value = "nvidia.com/gpu"
    type  = "string"
  }
  set {
    name  = "tolerations[0].operator"
    value = "Equal"
    type  = "string"
  }
  set {
    name  = "tolerations[0].value"
    value = "present"
    type  = "string"
  }
  set {
    name  = "tolerations[0].effect"
    value = "NoSchedule"
    type  = "string"
  }

  depends_on = [aws_eks_node_group.gpu, aws_eks_node_group.system, aws_eks_addon.vpc_cni]
}

resource "helm_release" "kube_prometheus_stack" {
  count            = var.install_kube_prometheus_stack ? 1 : 0
  name             = "kube-prometheus-stack"
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = "67.4.0"
  namespace        = "monitoring"
  create_namespace = true
  timeout          = 900

  # Prometheus picks up the ServiceMonitors, PodMonitors and PrometheusRules of every release (isoflop's included),
  # not only those labelled release=kube-prometheus-stack
  set {
    name  = "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues"
    value = "false"
  }
  set {
    name  = "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues"
    value = "false"
  }
  set {
    name  = "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues"
    value = "false"
  }

  # Grafana loads every ConfigMap labelled grafana_dashboard=1, in any namespace, as a dashboard
  set {
    name  = "grafana.sidecar.dashboards.enabled"
    value = "true"
  }
  set {
    name  = "grafana.sidecar.dashboards.label"
    value = "grafana_dashboard"
    type  = "string"
  }
  set {
    name  = "grafana.sidecar.dashboards.labelValue"
    value = "1"
    type  = "string"
  }
  set {
    name  = "grafana.sidecar.dashboards.searchNamespace"
    value = "ALL"
    type  = "string"
  }

  # EKS runs the control plane: its scheduler, controller manager and etcd cannot be scraped (they would only raise
  # TargetDown alerts), and kube-proxy's metrics listen on localhost
  set {
    name  = "kubeScheduler.enabled"
    value = "false"
  }
  set {
    name  = "kubeControllerManager.enabled"
    value = "false"
  }
  set {
    name  = "kubeEtcd.enabled"
    value = "false"
  }
  set {
    name  = "kubeProxy.enabled"
    value = "false"
  }

  depends_on = [aws_eks_node_group.gpu, aws_eks_node_group.system, aws_eks_addon.coredns]
}

resource "helm_release" "kueue" {
  count            = var.install_kueue ? 1 : 0
  name             = "kueue"
  repository       = "oci://registry.k8s.io/kueue/charts"
  chart            = "kueue"
  version          = "0.10.1"
  namespace        = "kueue-system"
  create_namespace = true

  depends_on = [aws_eks_node_group.gpu, aws_eks_node_group.system, aws_eks_addon.coredns]
}

# Kueue admits nothing without queues (charts/kueue-queues, as k8s/kueue/queues.yaml does by hand): a ResourceFlavor
# for the GPU nodes (their gpu-type label and their taint: only pods that tolerate it get the flavor), a ClusterQueue
# admitting kueue_gpu_quota GPUs at once for the isoflop namespace, and the LocalQueue there that worker Jobs name.
resource "helm_release" "kueue_queues" {
  count            = var.install_kueue ? 1 : 0
  name             = "isoflop-kueue-queues"
  chart            = "${path.module}/charts/kueue-queues"
  namespace        = var.namespace
  create_namespace = true

  set {
    name  = "queueName"
    value = var.kueue_queue_name
    type  = "string"
  }
  set {
    name  = "gpuFlavor.nodeLabels.isoflop\\.io/gpu-type"
    value = var.gpu_type
    type  = "string"
  }
  set {
    name  = "gpuFlavor.nodeTaints[0].key"
    value = "nvidia.com/gpu"
    type  = "string"
  }
  set {
    name  = "gpuFlavor.nodeTaints[0].value"
    value = "present"
    type  = "string"
  }
  set {
    name  = "gpuFlavor.nodeTaints[0].effect"
    value = "NoSchedule"
    type  = "string"
  }
  set {
    name  = "gpuFlavor.gpuQuota"
    value = var.kueue_gpu_quota
    type  = "string"
  }

  # the CRDs and the validating webhooks come with the Kueue release
  depends_on = [helm_release.kueue]
}

resource "helm_release" "isoflop" {
  count            = var.install_isoflop_chart ? 1 : 0
  name             = "isoflop"
  chart            = "${path.module}/../k8s/chart"
  namespace        = var.namespace
  create_namespace = true

  # the caller's extra values first: the settings below take precedence
  values = var.isoflop_chart_values == "" ? [] : [var.isoflop_chart_values]

  # IRSA: the scheduler's and workers' service accounts assume the role that reaches the bucket (iam.tf)
  set {
    name  = "serviceAccounts.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.isoflop.arn
    type  = "string"
  }
  set {
    name  = "storage.objectStore.bucket"
    value = aws_s3_bucket.metrics.bucket
    type  = "string"
  }
  set {
    name  = "storage.objectStore.region"
    value = var.region
    type  = "string"
  }

  # the ServiceMonitor, PodMonitor (workers), alert rules and Grafana dashboard need kube-prometheus-stack's CRDs
  # and its dashboard sidecar
  set {
    name  = "monitoring.serviceMonitor.enabled"
    value = var.install_kube_prometheus_stack
  }
  set {
    name  = "monitoring.podMonitor.enabled"
    value = var.install_kube_prometheus_stack
  }
  set {
    name  = "monitoring.prometheusRule.enabled"
    value = var.install_kube_prometheus_stack
  }
  set {
    name  = "monitoring.dashboard.enabled"
    value = var.install_kube_prometheus_stack
  }

  # Jobs labelled with the LocalQueue when Kueue is installed; "" = no Kueue label
  set {
    name  = "kueue.queueName"
    value = var.install_kueue ? var.kueue_queue_name : ""
    type  = "string"
  }

  depends_on = [
    aws_eks_node_group.gpu,
    aws_eks_node_group.system,
    aws_iam_role_policy.isoflop_bucket,
    helm_release.nvidia_device_plugin,
    helm_release.kube_prometheus_stack,
    helm_release.kueue,
    helm_release.kueue_queues,
  ]
}
