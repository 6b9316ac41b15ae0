data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  tags = merge(var.tags, {
    Project   = "isoflop"
    Cluster   = var.cluster_name
    ManagedBy = "terraform"
  })

  # Globally unique by default: account id and region in the name
  bucket_name = coalesce(var.bucket_name, "${var.cluster_name}-metrics-${data.aws_caller_identity.current.account_id}-${var.region}")

  # Kubernetes identities (k8s/rbac.yaml) allowed to assume the isoflop IRSA role
  isoflop_service_account_subjects = [
    for sa in var.service_accounts : "system:serviceaccount:${var.namespace}:${sa}"
  ]

  oidc_issuer_host = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
}
