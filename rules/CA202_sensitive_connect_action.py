"""CA202: a sensitive Amazon Connect action allowed on every instance with no Condition."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Action, Catalog
from auditor.connect.knowledge import SENSITIVE_ACTIONS, retired, sensitive_reason
from auditor.policy.arn import arn_context, example_arn
from auditor.policy.grants import WideGrant, wide_grants
from auditor.policy.model import Policy
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule


def _renamed(name: str) -> str | None:
    """A renamed action still works under its old name (connect:GetFederationTokens)."""
    entry = retired(name)
    return entry.replacement if entry is not None and entry.kind == "renamed" else None


# Suggestions that say more than "scope it" for the actions where AWS documents how.
_HOW = {
    "connect:admingetemergencyaccesstoken": "Limit it to the instance ({instance}) and to your office or "
    "VPN addresses with \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": [...]}}, as AWS advises.",
    "connect:getfederationtoken": "Grant it only to the SAML federation role, on "
    "{instance}/user/${aws:userid}.",
}


class SensitiveConnectAction(Rule):
    """Reports a sensitive Amazon Connect action allowed on every resource with no Condition.

    ## What it does
    Reports an Allow statement that grants one of the Connect-family actions the knowledge base
    marks as sensitive (emergency admin sign-in and federation, instance deletion and replication,
    security-profile and user-identity changes that escalate an agent, storage and streaming
    configuration that redirects recordings and transcripts, flow security keys, approved origins,
    phone numbers, outbound calling, Voice ID fraudster lists...) on `"*"` or on an ARN that covers
    every instance (`arn:aws:connect:us-east-1:123456789012:instance/*`), in a statement with no
    Condition. A named action gets one finding with the reason it is sensitive; a wildcard entry
    (`connect:*`, `connect:*SecurityProfile*`) gets one finding listing the sensitive actions it
    covers. A renamed action that still works (`connect:GetFederationTokens`) counts as its new
    name. An Allow with NotAction that leaves sensitive actions granted is reported at NotAction.
    Not reported: a statement limited to a specific instance (`instance/<id>/...`, or an
    unresolved template reference to one) or with any Condition, and Deny statements.

    ## Why it matters
    These actions hand over the contact centre: sign in as its administrator, make an agent an
    administrator, send every call recording to another bucket, or delete the instance. Given on
    every instance with no condition, they reach production from a role meant for a test instance,
    from any network.

    ## Example
    ```json
    { "Effect": "Allow",
      "Action": ["connect:AdminGetEmergencyAccessToken", "connect:UpdateInstanceStorageConfig"],
      "Resource": "*" }
    ```

    ## Fix
    Grant sensitive actions in a statement of their own, on the instance ARN
    (`arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1`), with a
    Condition where one fits (`aws:SourceIp` for emergency access, `aws:MultiFactorAuthPresent`),
    and only to the administrators who need them.
    """

    id = "CA202"
    name = "sensitive-connect-action"
    short_description = "A sensitive Amazon Connect action is allowed on every instance with no condition"
    level = "warning"
    kinds = ("identity",)

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        context: dict[str, dict[str, str]] | None = None
        for st in policy.statements():
            if not st.is_allow or st.has_condition:
                continue
            for grant in wide_grants(st, catalog, SENSITIVE_ACTIONS, alias=_renamed):
                if context is None:
                    context = arn_context(policy.statements())
                yield self._finding(policy, grant, context)

    def _finding(self, policy: Policy, grant: WideGrant, context: dict[str, dict[str, str]]) -> Finding:
        actions = [a for a, _ in grant.actions]
        where = grant.actions[0][1]
        if not grant.is_wildcard:
            action = actions[0]
            named = grant.value if grant.value.lower() == action.full_name.lower() else (
                f"{grant.value} (now {action.full_name})")
            message = f"{named} is allowed on {where} with no Condition: {sensitive_reason(action.full_name)}"
        else:
            message = grant.describe("sensitive Amazon Connect action", "with no Condition")
        return self.finding(policy, grant.path, message, at_key=grant.at_key,
                            suggestion=_suggestion(actions, grant, context))


def _suggestion(actions: list[Action], grant: WideGrant, context: dict[str, dict[str, str]]) -> str:
    one = len(actions) == 1
    it, its, needs = ("it", "its", "it needs") if one else ("them", "their", "they need")
    lead = "Replace NotAction with the actions the role needs, and grant" if grant.at_key else "Grant"
    scoped = [a for a in actions if not a.star_only]
    if not scoped:
        names = summarise([a.full_name for a in actions], 3)
        return (f"{names} {'accepts' if one else 'accept'} only '*': {lead.lower() if grant.at_key else 'grant'} "
                f"{it} only to a dedicated administrator role, limited by a Condition such as aws:SourceIp or "
                f"aws:MultiFactorAuthPresent.")
    target = _scope_example(scoped[0], context)
    if one and not grant.at_key:
        hint = _HOW.get(actions[0].full_name.lower())
        if hint:
            return hint.replace("{instance}", target)
    return (f"{lead} {it} in a statement of {its} own, on the resources {needs} (e.g. {target}), "
            f"with a Condition such as aws:SourceIp or aws:MultiFactorAuthPresent where it fits.")


def _scope_example(action: Action, context: dict[str, dict[str, str]]) -> str:
    """The ARN that scopes an action to one contact centre: the Connect instance (every Connect
    resource sits under it) or, for the other Connect services, the action's own resource."""
    known = context.get(action.service, {})
    if action.service == "connect":
        return example_arn("arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}", known)
    types = action.resource_types
    rt = next((t for t, required in types if required), types[0][0])
    return example_arn(rt.arn_format, known)
