provider "aws" {
  region = var.region

  # Every resource that takes tags gets these; resources also pass local.tags explicitly so that the tagging
  # is visible (and tested) per resource.
  default_tags {
    tags = local.tags
  }
}

# Helm talks to the cluster this configuration creates: its API endpoint and CA, and a short-lived token from
# `aws eks get-token` (the AWS CLI must be on the PATH of whoever runs terraform). The identity that created the
# cluster is its admin (bootstrap_cluster_creator_admin_permissions in eks.tf), and the endpoint must be reachable
# from where terraform runs: inside the VPC, or a CIDR in endpoint_public_access_cidrs.
provider "helm" {
  kubernetes {
    host                   = aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(aws_eks_cluster.this.certificate_authority[0].data)

    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", aws_eks_cluster.this.name, "--region", var.region]
    }
  }
}
