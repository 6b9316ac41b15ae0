# Pinned so that a plan made today means the same thing next month. Providers cannot be downloaded on the
# development machines: `terraform init` / `validate` run where the registry is reachable (see README.md).
terraform {
  # 1.9+: variable validations may refer to other variables (node group sizes)
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
    # 2.x: `set` blocks and a `kubernetes` block (3.x changed both to attributes)
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17"
    }
  }
}
