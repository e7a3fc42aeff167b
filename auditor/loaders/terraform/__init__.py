"""Terraform loader: every IAM policy in a Terraform tree or plan, located to the line.

`TerraformLoader` (the Loader protocol of `auditor.loaders.base`) is the entry point; the
modules say what they hold: `prefilter` (which files to parse), `parse`/`template`/`tfjson`
(HCL and JSON syntax to located nodes), `evaluate`/`functions`/`modules` (values),
`policy_document` (data "aws_iam_policy_document"), `resources` (policies and principals),
`jsontext` (JSON inside heredocs and files), `plan` (`terraform show -json`).
"""

from auditor.loaders.terraform.loader import TerraformLoader, parse_file

__all__ = ["TerraformLoader", "parse_file"]
