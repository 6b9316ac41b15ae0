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
