variable "region" {
  type        = string
  description = "AWS region of the cluster, bucket and file system, e.g. us-east-1."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster; also prefixes the other resources' names."
  default     = "isoflop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-40 lowercase letters, digits or '-', starting with a letter (it prefixes the bucket name)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes version (major.minor). The manifests in k8s/ use only APIs that exist from 1.20 on."
  default     = "1.31"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.31."
  }
}

variable "vpc_id" {
  type        = string
  description = "Existing VPC to run in (network layout is usually owned elsewhere)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets (in at least two availability zones, with NAT egress) for the control plane ENIs, the node groups and the EFS mount targets."

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids needs at least two subnet ids (subnet-...), in different availability zones."
  }
}

variable "endpoint_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the public Kubernetes API endpoint; empty keeps the endpoint private only."
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "endpoint_public_access_cidrs must be CIDR blocks, and not 0.0.0.0/0."
  }
}

variable "system_instance_types" {
  type        = list(string)
  description = "Instance types of the CPU node group that runs the scheduler, CoreDNS and other system pods."
  default     = ["m6i.xlarge"]

  validation {
    condition     = length(var.system_instance_types) > 0 && alltrue([for t in var.system_instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))])
    error_message = "system_instance_types must be EC2 instance types such as m6i.xlarge."
  }
}

variable "system_node_count" {
  type        = number
  description = "Number of CPU system nodes (fixed size; the scheduler is a single replica)."
  default     = 2

  validation {
    condition     = var.system_node_count >= 1 && var.system_node_count <= 10 && floor(var.system_node_count) == var.system_node_count
    error_message = "system_node_count must be a whole number from 1 to 10."
  }
}

variable "gpu_instance_types" {
  type        = list(string)
  description = "GPU instance types of the training node group (NVIDIA: g5, g6, g6e, p4d, p4de, p5). One GPU type per node group keeps the gpu_type label truthful."
  default     = ["g5.12xlarge"]

  validation {
    condition     = length(var.gpu_instance_types) > 0 && alltrue([for t in var.gpu_instance_types : can(regex("^(g5|g6|g6e|p4d|p4de|p5|p5e)\\.[a-z0-9]+$", t))])
    error_message = "gpu_instance_types must be NVIDIA GPU instance types (g5, g6, g6e, p4d, p4de, p5, p5e families)."
  }
}

variable "gpu_type" {
  type        = string
  description = "GPU model of gpu_instance_types, set as node label isoflop.io/gpu-type (a run spec's resources.gpu_type selects on it), e.g. nvidia-a10g for g5, nvidia-a100 for p4d, nvidia-h100 for p5."
  default     = "nvidia-a10g"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$", var.gpu_type))
    error_message = "gpu_type must be a valid Kubernetes label value in lowercase, e.g. nvidia-a10g."
  }
}

variable "gpu_node_min" {
  type        = number
  description = "Minimum GPU nodes. 0 lets an autoscaler (Cluster Autoscaler, Karpenter) scale the group to zero between sweeps."
  default     = 0

  validation {
    condition     = var.gpu_node_min >= 0 && floor(var.gpu_node_min) == var.gpu_node_min
    error_message = "gpu_node_min must be a whole number, 0 or more."
  }
}

variable "gpu_node_desired" {
  type        = number
  description = "GPU nodes at creation (later changes by an autoscaler are ignored by Terraform)."
  default     = 1

  validation {
    condition     = var.gpu_node_desired >= var.gpu_node_min && var.gpu_node_desired <= var.gpu_node_max
    error_message = "gpu_node_desired must lie between gpu_node_min and gpu_node_max."
  }
}

variable "gpu_node_max" {
  type        = number
  description = "Maximum GPU nodes: the ceiling on concurrent training runs (times GPUs per node) and on spend."
  default     = 4

  validation {
    condition     = var.gpu_node_max >= 1 && var.gpu_node_max >= var.gpu_node_min && var.gpu_node_max <= 100
    error_message = "gpu_node_max must be from max(1, gpu_node_min) to 100."
  }
}

variable "gpu_node_disk_gib" {
  type        = number
  description = "Root volume of each GPU node in GiB (container images with CUDA libraries are large)."
  default     = 200

  validation {
    condition     = var.gpu_node_disk_gib >= 50 && var.gpu_node_disk_gib <= 4096
    error_message = "gpu_node_disk_gib must be from 50 to 4096."
  }
}

variable "bucket_name" {
  type        = string
  description = "Name of the S3 bucket for metrics exports and reports; null derives <cluster_name>-metrics-<account>-<region>."
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')."
  }
}

variable "noncurrent_version_retention_days" {
  type        = number
  description = "Days an overwritten or deleted object version of the bucket is kept before it expires."
  default     = 30

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days must be at least 1."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of isoflop (k8s/namespace.yaml); the IRSA trust policy names it."
  default     = "isoflop"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "service_accounts" {
  type        = list(string)
  description = "Kubernetes service accounts (k8s/rbac.yaml) that may assume the isoflop IRSA role for the bucket."
  default     = ["isoflop-scheduler", "isoflop-worker"]

  validation {
    condition     = length(var.service_accounts) > 0 && alltrue([for sa in var.service_accounts : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", sa))])
    error_message = "service_accounts must be non-empty DNS-1123 names."
  }
}

variable "create_efs" {
  type        = bool
  description = "Also create an EFS file system (and the EFS CSI driver add-on) for a ReadWriteMany isoflop-data volume; sweeps use the S3 bucket through IRSA without it."
  default     = false
}

variable "install_nvidia_device_plugin" {
  type        = bool
  description = "Install NVIDIA's device plugin (Helm) on the GPU nodes: without it no node advertises nvidia.com/gpu and GPU Jobs never schedule. Turn off only where something else installs it (the NVIDIA GPU Operator)."
  default     = true
}

variable "install_kueue" {
  type        = bool
  description = "Install Kueue (Helm) with a ClusterQueue and a LocalQueue for isoflop's Jobs, so that runs wait for GPU quota instead of pending pods; the isoflop chart then labels its Jobs with kueue_queue_name."
  default     = false
}

variable "kueue_queue_name" {
  type        = string
  description = "Name of the Kueue ClusterQueue and of the LocalQueue in the isoflop namespace (the Jobs' kueue.x-k8s.io/queue-name label); used with install_kueue."
  default     = "isoflop"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.kueue_queue_name))
    error_message = "kueue_queue_name must be a DNS-1123 label."
  }
}

variable "kueue_gpu_quota" {
  type        = number
  description = "GPUs the Kueue ClusterQueue admits at once (nvidia.com/gpu nominal quota of the GPU flavor): gpu_node_max times the GPUs per instance (4 on g5.12xlarge, 8 on p4d/p5) to use the whole group; used with install_kueue."
  default     = 16

  validation {
    condition     = var.kueue_gpu_quota >= 1 && floor(var.kueue_gpu_quota) == var.kueue_gpu_quota
    error_message = "kueue_gpu_quota must be a whole number, 1 or more."
  }
}

variable "install_kube_prometheus_stack" {
  type        = bool
  description = "Install kube-prometheus-stack (Helm, namespace monitoring): Prometheus picking up every release's ServiceMonitors, PodMonitors and PrometheusRules, and Grafana loading dashboards labelled grafana_dashboard=1 from all namespaces; the isoflop chart then ships its ServiceMonitor, rules and dashboard."
  default     = false
}

variable "install_isoflop_chart" {
  type        = bool
  description = "Install isoflop itself from k8s/chart (Helm) into var.namespace, its service accounts annotated with the IRSA role and its object store set to the bucket; off, deploy with kubectl (README.md)."
  default     = false
}

variable "isoflop_chart_values" {
  type        = string
  description = "Extra values (YAML) for the isoflop chart, e.g. its image tag; Terraform's own settings (role, bucket, monitoring, queue) take precedence."
  default     = ""

  validation {
    condition     = var.isoflop_chart_values == "" || can(keys(yamldecode(var.isoflop_chart_values)))
    error_message = "isoflop_chart_values must be empty or a YAML mapping."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on every resource (cost allocation, owner); Project, Cluster and ManagedBy are always set."
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "tag keys must be at most 128 characters and values at most 256."
  }
}
