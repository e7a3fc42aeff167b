resource "aws_connect_instance" "main" {
  identity_management_type = "CONNECT_MANAGED"
  inbound_calls_enabled    = true
  outbound_calls_enabled   = true
  instance_alias           = var.instance_alias
}

data "aws_iam_policy_document" "supervisors" {
  statement {
    sid = "ManageAgents"
    actions = [
      "connect:DescribeUser",
      "connect:UpdateUserRoutingProfile",
    ]
    # Connect users live under .../agent/, so this grants nothing.
    resources = ["${aws_connect_instance.main.arn}/user/*"]
  }

  statement {
    sid       = "ListQueues"
    actions   = ["connect:ListQueues", "connect:DescribeQueue"]
    resources = ["${aws_connect_instance.main.arn}/queue/*"]
  }
}

resource "aws_iam_role" "supervisors" {
  name               = "contact-centre-supervisors"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "supervisors" {
  role   = aws_iam_role.supervisors.id
  policy = data.aws_iam_policy_document.supervisors.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithSAML"]
    principals {
      type        = "Federated"
      identifiers = [var.saml_provider_arn]
    }
  }
}

resource "aws_iam_policy" "reporting" {
  name = "contact-centre-reporting"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["connect:GetMetricDataV2", "connect:GetCurrentMetricData", "connect:DescribeQueues"]
      Resource = "*"
    }]
  })
}
