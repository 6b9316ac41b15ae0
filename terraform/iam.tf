# IRSA role for the isoflop service accounts (scheduler and workers): read and write objects of the metrics bucket,
# nothing else. Annotate the service accounts with its ARN (README.md).

data "aws_iam_policy_document" "isoflop_assume" {
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
    # only these Kubernetes service accounts, in this namespace
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = local.isoflop_service_account_subjects
    }
  }
}

resource "aws_iam_role" "isoflop" {
  name                 = "${var.cluster_name}-isoflop-irsa"
  description          = "isoflop scheduler and workers (IRSA): the metrics bucket only"
  assume_role_policy   = data.aws_iam_policy_document.isoflop_assume.json
  max_session_duration = 3600
  tags                 = local.tags
}

data "aws_iam_policy_document" "isoflop_bucket" {
  statement {
    sid       = "ListTheBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.metrics.arn]
  }

  statement {
    sid = "ReadWriteObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.metrics.arn}/*"]
  }

  # SSE-KMS objects need the bucket's key, and only it
  statement {
    sid       = "UseTheBucketKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.bucket.arn]
  }
}

resource "aws_iam_role_policy" "isoflop_bucket" {
  name   = "metrics-bucket"
  role   = aws_iam_role.isoflop.id
  policy = data.aws_iam_policy_document.isoflop_bucket.json
}
