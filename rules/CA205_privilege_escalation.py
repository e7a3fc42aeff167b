"""CA205: an action that lets a principal raise its own permissions, on every role, user or policy."""

from __future__ import annotations

import fnmatch
from typing import Any, Iterable

from auditor.catalog import Action, Catalog
from auditor.connect.knowledge import PRIVILEGE_ESCALATION_ACTIONS, escalation_reason
from auditor.policy.arn import arn_context, example_arn
from auditor.policy.conditions import condition_block_unresolved, operator_negated
from auditor.policy.actions import not_action_excludes, statement_actions
from auditor.policy.grants import WideGrant, is_literal_star, is_service_wildcard, types_to_name, wide_grants
from auditor.policy.model import Policy, Statement
from auditor.policy.values import has_holes
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

# Condition keys that confine an escalation action to what it is meant for, by action.
_LIMITING_KEYS: dict[str, tuple[str, ...]] = {
    "iam:passrole": ("iam:passedtoservice",),
    "iam:attachrolepolicy": ("iam:policyarn", "iam:permissionsboundary"),
    "iam:attachuserpolicy": ("iam:policyarn", "iam:permissionsboundary"),
    "iam:attachgrouppolicy": ("iam:policyarn",),
    "iam:putrolepolicy": ("iam:permissionsboundary",),
    "iam:putuserpolicy": ("iam:permissionsboundary",),
    "iam:putrolepermissionsboundary": ("iam:permissionsboundary",),
    "iam:putuserpermissionsboundary": ("iam:permissionsboundary",),
    "kms:creategrant": ("kms:viaservice", "kms:grantisforawsresource", "kms:callerprincipal"),
    # Tags confine SSM to the instances an owner tagged (a key ending in "/" is a prefix).
    "ssm:sendcommand": ("ssm:resourcetag/", "aws:resourcetag/"),
    "ssm:startsession": ("ssm:resourcetag/", "aws:resourcetag/"),
}

# The resource types on which an action escalates: SSM runs commands on instances, not on its
# documents or its output bucket.
_TARGET_TYPES: dict[str, tuple[str, ...]] = {
    "ssm:sendcommand": ("instance", "managed-instance"),
    "ssm:startsession": ("instance", "managed-instance", "task"),
}

# AWS documents that run whatever command or script their parameters say; other documents
# (AWSEC2-CreateVssSnapshot, AWS-UpdateSSMAgent...) do one fixed job.
_ANY_COMMAND_DOCUMENTS = ("aws-runshellscript", "aws-runpowershellscript", "aws-runremotescript",
                          "aws-rundocument", "aws-runansibleplaybook", "aws-runsaltstate",
                          "aws-applychefrecipes")

# Escalations only with iam:PassRole: they hand a passed role to code or a stack the caller controls.
_WITH_PASSROLE = frozenset({"lambda:createfunction", "ec2:runinstances", "cloudformation:createstack",
                            "glue:createdevendpoint"})

_PASSROLE_HINT = ("and add \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"connect.amazonaws.com\"}} "
                  "(or the service that needs the role)")
_HINTS = {
    "iam:passrole": _PASSROLE_HINT,
    "iam:attachrolepolicy": "and limit the policies it may attach with \"Condition\": {\"ArnEquals\": "
    "{\"iam:PolicyARN\": [\"arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess\"]}}",
    "kms:creategrant": "and add \"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\": \"true\"}}",
}


class PrivilegeEscalation(Rule):
    """Reports an action that lets a principal give itself more permissions, allowed on every
    role, user, policy or key.

    ## What it does
    Reports an Allow statement that grants one of the privilege-escalation actions of the knowledge
    base (`iam:PassRole`, `iam:PutRolePolicy`, `iam:AttachRolePolicy`, `iam:CreatePolicyVersion`,
    `iam:SetDefaultPolicyVersion`, `iam:UpdateAssumeRolePolicy`, `iam:CreateAccessKey`,
    `sts:AssumeRole`, `lambda:UpdateFunctionCode`, `kms:CreateGrant`...) on `"*"` or on an ARN with
    a wildcard in place of the name (`arn:aws:iam::*:role/*`), directly or through a wildcard
    (`iam:*`, `iam:Put*`, `*`) or a NotAction that leaves it granted. With no Condition the
    finding is an error; with a Condition that does not confine the action (for `iam:PassRole`,
    one without `iam:PassedToService`) it is a warning. Not reported: an action whose Condition
    confines it (`iam:PassedToService`, `iam:PolicyARN`, `iam:PermissionsBoundary`,
    `kms:ViaService`, `kms:GrantIsForAWSResource`), named or path-limited resources (AWS's own
    Connect console grant of `iam:PutRolePolicy` on
    `arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*`
    names Connect's service-linked role, so it is not reported), name patterns with a literal
    part (`function:*DeepRacer*` is not every function), unresolved template references, and
    Deny statements. `ssm:SendCommand` and `ssm:StartSession` are judged on the instances they
    run on (`instance/*`, `managed-instance/*`, a task for StartSession), not on a document or
    output bucket ARN alone; a resource-tag Condition (`ssm:resourceTag/...`,
    `aws:ResourceTag/...`) confines them; and SendCommand is not reported when every document
    the policy allows it is a fixed-purpose one (`document/AWSEC2-CreateVssSnapshot`): only
    `*`, `document/*` or a document that runs any command (`AWS-RunShellScript`,
    `AWS-RunPowerShellScript`...) lets it run arbitrary commands.

    ## Why it matters
    With `iam:PassRole` on `*` a principal that can create a Lambda function or a Connect
    integration hands it any role in the account, administrator roles included; with
    `iam:PutRolePolicy` or `iam:AttachRolePolicy` on `*` it writes itself any permission. The
    policy then grants far more than it says.

    ## Example
    ```json
    { "Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*" }
    ```

    ## Fix
    Name the roles or policies (`arn:aws:iam::123456789012:role/connect-flow-lambda`) and confine
    the action with a Condition: `"iam:PassedToService": "lambda.amazonaws.com"` for PassRole,
    `iam:PolicyARN` for attaching policies.
    """

    id = "CA205"
    name = "privilege-escalation"
    short_description = "An action that can escalate privileges is allowed on every role, user or policy"
    level = "error"
    kinds = ("identity",)

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        found: list[tuple[Statement, WideGrant]] = []
        for st in policy.statements():
            if not st.is_allow:
                continue
            for grant in wide_grants(st, catalog, PRIVILEGE_ESCALATION_ACTIONS, targets=_TARGET_TYPES):
                open_ = [(a, w) for a, w in grant.actions if not _confined(st, a)]
                if open_:
                    found.append((st, WideGrant(grant.value, grant.path, grant.at_key, open_)))
        # Creating a function, stack or instance escalates only together with passing any role.
        passes_any_role = any(a.full_name.lower() == "iam:passrole" for _, g in found for a, _ in g.actions)
        # SendCommand runs any command only with a document that does: not when every document
        # this policy allows it is a fixed-purpose one.
        if any(a.full_name.lower() == "ssm:sendcommand" for _, g in found for a, _ in g.actions) and \
                not _any_command_document(policy, catalog, "ssm:sendcommand"):
            for _, g in found:
                g.actions = [(a, w) for a, w in g.actions if a.full_name.lower() != "ssm:sendcommand"]
            found = [(st, g) for st, g in found if g.actions]
        context = arn_context(policy.statements()) if found else {}
        for st, grant in found:
            if not passes_any_role:
                grant.actions = [(a, w) for a, w in grant.actions if a.full_name.lower() not in _WITH_PASSROLE]
            if grant.actions:
                yield self._finding(policy, st, grant, context)

    def _finding(self, policy: Policy, st: Statement, grant: WideGrant,
                 context: dict[str, dict[str, str]]) -> Finding:
        actions = [a for a, _ in grant.actions]
        where = grant.actions[0][1]
        if st.has_condition:
            how = "with a Condition that does not confine it" if len(actions) == 1 else \
                "with a Condition that does not confine them"
        else:
            how = "with no Condition"
        if not grant.is_wildcard:
            action = actions[0]
            message = f"{action.full_name} is allowed on {where} {how}: {escalation_reason(action.full_name)}"
        else:
            message = grant.describe("privilege-escalation action", how)
        return self.finding(policy, grant.path, message, at_key=grant.at_key,
                            level="warning" if st.has_condition else None,
                            suggestion=_suggestion(actions, grant, context))


def _any_command_document(policy: Policy, catalog: Catalog, name: str) -> bool:
    """Whether the policy allows `name` on a document that runs any command (`*`,
    `document/*`, `AWS-RunShellScript`, a pattern matching one), or names no document at all
    (the permission may come from another policy). Unresolved values count as fixed."""
    named = False
    for st in policy.statements():
        if not st.is_allow or not _allows(st, catalog, name):
            continue
        if "NotResource" in st.data:
            return True
        for value, _ in st.resources:
            if has_holes(value):
                named = True
                continue
            if is_literal_star(value):
                return True
            resource = value.strip().split(":", 5)[-1]
            if not resource.lower().startswith("document/"):
                continue
            named = True
            doc = resource[len("document/"):].lower()
            if any(fnmatch.fnmatchcase(d, doc) for d in _ANY_COMMAND_DOCUMENTS) or not doc.strip("*?"):
                return True
    return not named


def _allows(st: Statement, catalog: Catalog, name: str) -> bool:
    if "NotAction" in st.data and "Action" not in st.data:
        return not_action_excludes(st, name) is False
    return any(a.full_name.lower() == name for ra in statement_actions(st, catalog) for a in ra.actions)


def _confined(st: Statement, action: Action) -> bool:
    """Whether the statement's Condition confines `action` with a key meant for it: a positive
    operator on a value that is not `*`. An unresolved template value or block counts as
    confining: a hole is never reported as missing."""
    if condition_block_unresolved(st):
        return True
    keys = _LIMITING_KEYS.get(action.full_name.lower(), ())
    for op, key, value, _ in st.conditions():
        low = key.lower()
        if not any(low == k or (k.endswith("/") and low.startswith(k)) for k in keys) or operator_negated(op) or op.lower().startswith("null"):
            continue
        values = value if isinstance(value, list) else [value]
        if "resourcetag/" in low:
            # Any value of a tag (even "*": the tag must be there) confines to tagged resources.
            if any(isinstance(v, str) or has_holes(v) for v in values):
                return True
        if any(_meaningful(v, op) for v in values):
            return True
    return False


def _meaningful(value: Any, op: str) -> bool:
    if has_holes(value):
        return True
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return False
    if op.lower().startswith("bool"):
        return value.strip().lower() == "true"
    return value.strip() not in ("*", "")


def _suggestion(actions: list[Action], grant: WideGrant, context: dict[str, dict[str, str]]) -> str:
    confine = "confined by a Condition where one exists (iam:PassedToService for iam:PassRole)"
    if grant.at_key:
        return (f"Replace NotAction with the actions the role needs; grant escalation actions only on named "
                f"resources, {confine}.")
    if grant.is_wildcard:
        services = sorted({a.service for a in actions})
        listed = "services and actions" if is_service_wildcard(grant.value) and grant.value.startswith("*") else \
            f"{'/'.join(services)} actions"
        return (f"List only the {listed} the role needs; grant {'this one' if len(actions) == 1 else 'these'} "
                f"in a separate statement on named resources, {confine}.")
    action = actions[0]
    low = action.full_name.lower()
    types = types_to_name(action)
    target = summarise([example_arn(t.arn_format, context.get(action.service, {})) for t in types if t.arn_format])
    named = f"Name the {'/'.join(t.name for t in types) or 'resource'} ARNs it may act on ({target or 'in Resource'})"
    if low in _WITH_PASSROLE:
        return (f"Confine iam:PassRole in this policy to named roles and \"iam:PassedToService\", so "
                f"{action.full_name} cannot hand out any role; or {named[0].lower()}{named[1:]}.")
    hint = _HINTS.get(low, "")
    return f"{named}{' ' + hint if hint else ''}."
