"""CA203: `Resource: "*"` for actions that could be limited to specific ARNs."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Action, Catalog
from auditor.policy.actions import statement_actions
from auditor.policy.arn import arn_context, example_arn
from auditor.policy.conditions import condition_block_unresolved, operator_negated
from auditor.policy.grants import WRITE_LEVELS, is_literal_star, is_service_wildcard, types_to_name
from auditor.policy.model import Policy, Statement
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

# Access levels that change something: a `*` for them is a risk, for reads it is hygiene.
_CHANGES = WRITE_LEVELS | {"Tagging"}
# Condition keys that limit which resources a statement reaches, so `*` is deliberate (ABAC,
# or AWS's documented `connect:InstanceId` form).
_INSTANCE = "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}"
_SCOPING_KEYS = ("aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "connect:instanceid")


class ResourceStarRestrictable(Rule):
    """Reports `Resource: "*"` in an Allow for actions that accept specific resource ARNs.

    ## What it does
    For each `"*"` in the Resource of an Allow statement, lists the statement's actions that
    support resource-level permissions and suggests the ARN format of their resource types, filled
    with the region, account and Amazon Connect instance id the policy uses elsewhere. Actions that
    accept only `"*"` (`connect:ListInstances`) are fine and are not listed. The finding is a
    warning when one of the actions changes something (Write, Permissions management or Tagging)
    and a note when they only read or list. Not reported: Deny statements, statements whose
    Condition limits the resources (`aws:ResourceTag/...`, `aws:ResourceAccount`,
    `connect:InstanceId`), service-wide wildcards such as `connect:*` (CA201's), an unresolved
    template value (never a literal `*`), and policies other than identity policies (in a
    resource policy `*` means the resource itself).

    ## Why it matters
    `"*"` gives the actions on every instance, queue, user and flow in the account, and on the ones
    created later: a policy written for one contact centre also reaches the others (test, prod,
    another business unit).

    ## Example
    ```json
    { "Effect": "Allow", "Action": ["connect:DescribeUser", "connect:UpdateUserRoutingProfile"],
      "Resource": "*" }
    ```

    ## Fix
    Name the resources: `arn:aws:connect:us-east-1:123456789012:instance/<instance-id>/agent/*` for
    the user actions; keep `"*"` only for actions that support nothing else, in a statement of
    their own.
    """

    id = "CA203"
    name = "resource-star-restrictable"
    short_description = "Resource \"*\" for actions that accept specific ARNs"
    level = "warning"
    kinds = ("identity",)

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        context: dict[str, dict[str, str]] | None = None
        for st in policy.statements():
            if not st.is_allow or _scopes_resources(st):
                continue
            stars = [p for v, p in st.resources if is_literal_star(v)]
            if not stars:
                continue
            restrictable: dict[str, Action] = {}
            star_only: dict[str, Action] = {}
            for ra in statement_actions(st, catalog):
                if ra.unresolved or is_service_wildcard(ra.value):
                    continue
                for a in ra.actions:
                    (star_only if a.star_only else restrictable).setdefault(a.full_name, a)
            if not restrictable:
                continue
            if context is None:
                context = arn_context(policy.statements())
            changes = any(a.access_level in _CHANGES for a in restrictable.values())
            message = (
                f"Resource '*' grants {summarise(list(restrictable))} on every resource, although "
                f"{'it accepts' if len(restrictable) == 1 else 'they accept'} specific ARNs."
            )
            suggestion = _suggestion(restrictable, star_only, context)
            for path in stars:
                yield self.finding(policy, path, message, suggestion=suggestion,
                                   level="warning" if changes else "note")


def _scopes_resources(st: Statement) -> bool:
    if condition_block_unresolved(st):
        return True  # an unresolved Condition may well limit the resources
    for op, key, _, _ in st.conditions():
        low = key.lower()
        if operator_negated(op):
            continue
        if low in _SCOPING_KEYS or "resourcetag/" in low:
            return True
    return False


def _suggestion(restrictable: dict[str, Action], star_only: dict[str, Action],
                context: dict[str, dict[str, str]]) -> str:
    # One example ARN per resource type, with the actions that need it.
    arns: dict[str, list[str]] = {}
    for name, action in restrictable.items():
        for rt in types_to_name(action):
            if rt.arn_format:
                arns.setdefault(example_arn(rt.arn_format, context.get(action.service, {})), []).append(name)
    if len(arns) > 4 and all(a.service == "connect" for a in restrictable.values()):
        # Every Connect resource sits under its instance: one instance is the useful first limit.
        instance = example_arn(_INSTANCE, context.get("connect", {}))
        on_instance = [n for n, a in restrictable.items() if any(t.name == "instance" for t in types_to_name(a))]
        text = f"Limit them to one instance instead: {instance}/* for the resources inside it"
        if on_instance:
            text += f" and {instance} for {summarise(on_instance, 3)}"
        text += f"; better still, name the resource types each action needs ({len(arns)} in all)"
    else:
        shown = list(arns.items())[:4]
        text = "Name the resources instead: " + "; ".join(f"{arn} ({summarise(names, 3)})" for arn, names in shown)
    if star_only:
        one = len(star_only) == 1
        text += (f". Keep '*' only for {summarise(list(star_only), 3)}, which {'accepts' if one else 'accept'} "
                 f"no ARN, in a statement of {'its' if one else 'their'} own")
    return text + "."
