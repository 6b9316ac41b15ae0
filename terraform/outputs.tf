output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the API endpoint."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for further IRSA roles."
  value       = aws_iam_openid_connect_provider.eks.arn
}

output "bucket_name" {
  description = "S3 bucket for metrics exports and reports."
  value       = aws_s3_bucket.metrics.bucket
}

output "sweep_output" {
  description = "What a budget spec's sweep.output names to keep the sweep on the bucket (workers, scheduler and fitter reach it through the isoflop IRSA role)."
  value       = "s3://${aws_s3_bucket.metrics.bucket}/sweeps"
}

output "bucket_arn" {
  description = "ARN of the metrics bucket."
  value       = aws_s3_bucket.metrics.arn
}

output "isoflop_role_arn" {
  description = "IRSA role for the isoflop service accounts: annotate them with eks.amazonaws.com/role-arn=<this>."
  value       = aws_iam_role.isoflop.arn
}

output "cluster_role_arn" {
  description = "IAM role of the EKS control plane."
  value       = aws_iam_role.cluster.arn
}

output "node_role_arn" {
  description = "IAM role of the CPU and GPU nodes."
  value       = aws_iam_role.node.arn
}

output "efs_file_system_id" {
  description = "EFS file system for the isoflop-data StorageClass (null when create_efs is false)."
  value       = var.create_efs ? aws_efs_file_system.data[0].id : null
}

output "efs_csi_role_arn" {
  description = "IRSA role of the EFS CSI controller (null when create_efs is false)."
  value       = var.create_efs ? aws_iam_role.efs_csi[0].arn : null
}

output "gpu_node_selector" {
  description = "Node label that selects this cluster's GPU nodes by type (for the scheduler's Job node selector)."
  value       = { "isoflop.io/gpu-type" = var.gpu_type }
}

output "helm_releases" {
  description = "Helm releases installed by Terraform (addons.tf), release name => namespace: helm -n <namespace> status <name>."
  value = {
    for release in concat(
      helm_release.nvidia_device_plugin,
      helm_release.kube_prometheus_stack,
      helm_release.kueue,
      helm_release.kueue_queues,
      helm_release.isoflop,
    ) : release.name => release.namespace
  }
}

output "kueue_queue_name" {
  description = "Kueue LocalQueue in the isoflop namespace (jobs.kueueQueue of k8s/scheduler-config.yaml when deploying with kubectl); null without install_kueue."
  value       = var.install_kueue ? var.kueue_queue_name : null
}

output "grafana_port_forward" {
  description = "How to reach Grafana (kube-prometheus-stack, ClusterIP only); null without install_kube_prometheus_stack."
  value       = var.install_kube_prometheus_stack ? "kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80" : null
}
