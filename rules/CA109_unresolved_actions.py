"""CA109: a statement whose actions are not known before deployment."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.actions import unresolved_action_element
from auditor.policy.model import Policy
from auditor.policy.values import Text
from auditor.rule import Finding, Rule


class UnresolvedActions(Rule):
    """Reports a statement whose Action or NotAction is not known before deployment.

    ## What it does
    Reports, once per statement, an `Action` or `NotAction` that is wholly a template value
    connect-audit cannot resolve: `actions = var.actions` in a module whose caller is not in
    the scan, `Action = module.shared.connect_actions` from a remote module, a list made only
    of such values. Nothing is known of what the statement grants or denies, so no rule checked
    its actions. A list that is only partly unknown (`["connect:DescribeUser", var.extra]`), or
    a value whose shape is known (`"connect:${var.verb}"`), is checked as far as it is known and
    is not reported.

    ## Why it matters
    Every action rule (unknown actions, wildcards, sensitive Connect actions, privilege
    escalation, dependent actions) stays silent about values it cannot see, rather than guess.
    Without this note, a statement that may grant `*` looks as clean as one that grants
    `connect:DescribeUser`.

    ## Example
    ```hcl
    data "aws_iam_policy_document" "agents" {
      statement {
        actions   = module.connect_actions.agent_actions
        resources = ["arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/agent/*"]
      }
    }
    ```

    ## Fix
    Write the actions in the statement, or scan the configuration that sets them (the root
    module that calls this one, or its Terraform plan: `terraform show -json plan.out`). If the
    actions really are chosen at deployment, review where they come from and suppress the note
    with `connect-audit: ignore[CA109]`.
    """

    id = "CA109"
    name = "unresolved-actions"
    short_description = "A statement's actions are not known before deployment"
    level = "note"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            element = unresolved_action_element(st)
            if element is None:
                continue
            value = st.data[element]
            shown = (f"[{', '.join(f'`{_expression(v)}`' for v in value)}]" if isinstance(value, list)
                     else f"`{_expression(value)}`")
            yield self.finding(
                policy, st.path + (element,),
                f"{element} is {shown}: its actions are not known before deployment, so they were not checked.",
                suggestion="write the actions in the statement, or scan the configuration that sets them",
            )


def _expression(value: Text) -> str:
    """The template expression a wholly unresolved value stands for (`var.actions`)."""
    return " ".join(h.expr for h in value.holes)
