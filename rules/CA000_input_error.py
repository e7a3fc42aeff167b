"""CA000: an input that cannot be read or parsed at all."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.model import Model
from auditor.rule import Finding, Rule


class InputError(Rule):
    """Reports an input file that connect-audit cannot read or parse at all.

    ## What it does
    Reports a file that cannot be read, is not UTF-8 text, or does not parse as the format it
    claims to be (a `.tf` file with an HCL syntax error, a CloudFormation template that is not
    valid YAML or JSON), at the line and column where reading stopped.

    ## Why it matters
    A file that does not parse is not audited: every policy in it goes unchecked, and Terraform
    or CloudFormation will reject it at deploy time anyway. The rest of the run goes on.

    ## Example
    ```hcl
    resource "aws_iam_policy" "agents" {
      policy = jsonencode({ Version = "2012-10-17" Statement = [] }
    ```

    ## Fix
    Correct the syntax at the reported location; `terraform validate` or `cfn-lint` give more
    detail about the format itself.
    """

    id = "CA000"
    name = "input-error"
    short_description = "A file could not be read or parsed"
    level = "error"
    kinds = None

    def check_model(self, model: Model, catalog: Catalog) -> Iterable[Finding]:
        for span, message in model.input_errors:
            yield self.finding(None, (), message, span=span)
