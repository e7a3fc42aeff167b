"""CA006: a policy the loaders found but could not audit."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.model import Model
from auditor.rule import Finding, Rule


class NotAudited(Rule):
    """Reports a policy, or part of one, that connect-audit found but could not audit.

    ## What it does
    Reports, at the place it is written, each policy the Terraform and CloudFormation loaders
    found but could not read, so a clean run is not taken for a clean policy:

    - a policy only known after deployment: `policy = module.shared.policy_json` from a remote
      module, `Policies: !GetAtt Other.Outputs.Policy`, a plan's `(known after apply)`;
    - a SAM policy template (`DynamoDBCrudPolicy: {TableName: ...}`), which SAM expands only at
      deployment;
    - an AWS managed policy named in SAM `Policies` (`AmazonConnectReadOnlyAccess`): recorded on
      the function's role, but its document is AWS's and is not audited;
    - a template with more `Fn::If` combinations than connect-audit enumerates.

    One note for each, with the loader's reason; the same note found twice at the same place
    (a module instantiated more than once) is reported once.

    ## Why it matters
    Every other rule is silent about what it cannot see. A policy built from a remote module's
    output or a SAM policy template may grant anything, and nothing in the report would say it
    was never checked.

    ## Example
    ```hcl
    module "connect_policies" {
      source  = "acme/connect-policies/aws"
      version = "1.2.0"
    }

    resource "aws_iam_policy" "agents" {
      policy = module.connect_policies.agents_json
    }
    ```

    ## Fix
    Nothing is wrong in the file itself. Audit the policy where it is known: scan the
    Terraform plan (`terraform show -json plan.out > plan.json`) when the value is known at
    plan time, or the deployed document (`aws iam get-policy-version`). Where that is not
    possible, review the module's or template's policies by hand, and suppress the note with
    `connect-audit: ignore[CA006]` once they are reviewed.
    """

    id = "CA006"
    name = "not-audited"
    short_description = "A policy was found but could not be audited"
    level = "note"
    kinds = None

    def check_model(self, model: Model, catalog: Catalog) -> Iterable[Finding]:
        for span, message in dict.fromkeys(model.notes):
            yield self.finding(None, (), message, span=span)
