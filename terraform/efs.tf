# ReadWriteMany storage for the isoflop-data claim (k8s/storage.yaml): an encrypted EFS file system with a
# mount target per subnet, and the EFS CSI driver add-on (with its own IRSA role) to provision volumes on it.
# The StorageClass is created with kubectl (README.md).

data "aws_subnet" "private" {
  for_each = var.create_efs ? toset(var.private_subnet_ids) : toset([])
  id       = each.value
}

resource "aws_efs_file_system" "data" {
  count            = var.create_efs ? 1 : 0
  creation_token   = "${var.cluster_name}-isoflop-data"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = merge(local.tags, { Name = "${var.cluster_name}-isoflop-data" })
}

resource "aws_security_group" "efs" {
  count       = var.create_efs ? 1 : 0
  name        = "${var.cluster_name}-efs"
  description = "NFS from the EKS cluster to the isoflop EFS mount targets"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "efs_nfs" {
  count                        = var.create_efs ? 1 : 0
  security_group_id            = aws_security_group.efs[0].id
  description                  = "NFS from the cluster security group (all managed nodes)"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  tags                         = local.tags
}

resource "aws_efs_mount_target" "data" {
  for_each        = data.aws_subnet.private
  file_system_id  = aws_efs_file_system.data[0].id
  subnet_id       = each.value.id
  security_groups = [aws_security_group.efs[0].id]
}

data "aws_iam_policy_document" "efs_csi_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = ["system:serviceaccount:kube-system:efs-csi-controller-sa"]
    }
  }
}

resource "aws_iam_role" "efs_csi" {
  count              = var.create_efs ? 1 : 0
  name               = "${var.cluster_name}-efs-csi"
  assume_role_policy = data.aws_iam_policy_document.efs_csi_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "efs_csi" {
  count      = var.create_efs ? 1 : 0
  role       = aws_iam_role.efs_csi[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"
}

resource "aws_eks_addon" "efs_csi" {
  count                    = var.create_efs ? 1 : 0
  cluster_name             = aws_eks_cluster.this.name
  addon_name               = "aws-efs-csi-driver"
  service_account_role_arn = aws_iam_role.efs_csi[0].arn
  tags                     = local.tags

  depends_on = [aws_eks_node_group.system, aws_efs_mount_target.data]
}
