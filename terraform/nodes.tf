# Two managed node groups: CPU "system" nodes for the scheduler and cluster add-ons, and GPU nodes for training.
# Only pods that tolerate nvidia.com/gpu=present:NoSchedule (the worker Jobs) land on the GPU nodes.

resource "aws_iam_role" "node" {
  name               = "${var.cluster_name}-eks-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
  ])
  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

resource "aws_eks_node_group" "system" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "system"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids
  ami_type        = "AL2023_x86_64_STANDARD"
  capacity_type   = "ON_DEMAND"
  instance_types  = var.system_instance_types

  scaling_config {
    min_size     = var.system_node_count
    desired_size = var.system_node_count
    max_size     = var.system_node_count
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "isoflop.io/node-pool" = "system"
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy_attachment.node]
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "gpu"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.private_subnet_ids
  # EKS-optimised AMI with the NVIDIA driver and container toolkit; the NVIDIA device plugin (which advertises
  # nvidia.com/gpu) comes from addons.tf, and tolerates this group's taint and selects its label
  ami_type       = "AL2023_x86_64_NVIDIA"
  capacity_type  = "ON_DEMAND"
  instance_types = var.gpu_instance_types
  disk_size      = var.gpu_node_disk_gib

  scaling_config {
    min_size     = var.gpu_node_min
    desired_size = var.gpu_node_desired
    max_size     = var.gpu_node_max
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "isoflop.io/node-pool"   = "gpu"
    "isoflop.io/gpu-type"    = var.gpu_type
    "nvidia.com/gpu.present" = "true"
  }

  # keep CPU-only pods off the expensive nodes; worker Jobs tolerate this taint
  taint {
    key    = "nvidia.com/gpu"
    value  = "present"
    effect = "NO_SCHEDULE"
  }

  tags = merge(local.tags, {
    # lets Cluster Autoscaler scale from zero knowing the nodes' label and taint
    "k8s.io/cluster-autoscaler/enabled"                                 = "true"
    "k8s.io/cluster-autoscaler/${var.cluster_name}"                     = "owned"
    "k8s.io/cluster-autoscaler/node-template/label/isoflop.io/gpu-type" = var.gpu_type
    "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"      = "present:NoSchedule"
  })

  lifecycle {
    # an autoscaler owns the current size
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}
