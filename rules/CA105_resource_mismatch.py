"""CA105: an action paired only with resources it cannot act on, or a resource no action uses."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Any, Iterable

from auditor.catalog import STRICT_ID_SERVICES, Action, Catalog, ResourceType
from auditor.policy.actions import ResolvedAction, statement_actions
from auditor.policy.arn import example_arn
from auditor.policy.model import Policy, Statement
from auditor.policy.resources import ResourceEntry, action_applies, resource_entries
from auditor.policy.values import known_text
from auditor.policy.variables import literal_parts
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

# How many example ARNs a suggestion offers for an action with several resource types.
MAX_EXAMPLES = 3


class ResourceMismatch(Rule):
    """Reports actions that none of their statement's resources fit, and resources that none of
    their statement's actions can use.

    ## What it does
    Checks each action of a statement against the resource types the catalog gives for it,
    with Amazon Connect's nested ARNs matched exactly (`instance/<id>/agent/<id>` is a user,
    `instance/<id>` the instance). It reports:

    - an action that can apply to none of the statement's resources: in an Allow it is silently
      not granted (error), in a Deny the guardrail denies nothing (error). An action without
      resource-level permissions (such as `connect:ListInstances`) only matches `"Resource":
      "*"`. A wildcard (`connect:Describe*`) is reported once, and only when none of the actions
      it stands for can apply.
    - a resource that none of the statement's actions can apply to: dead weight in an Allow
      (note), a guardrail that protects nothing in a Deny (error). Not reported when every
      action of the statement is already reported.

    The suggestion builds an ARN of the right resource type from what the written ARN already
    says (partition, region, account, instance id). AWS's documented exceptions to the catalog
    (`connect:GetFederationToken` on `.../instance/<id>/user/${aws:userid}` for SAML) are not
    findings. Statements with NotAction or NotResource, unknown actions (CA102), values that
    are not ARNs or name no known service (CA104) and unresolved template values are left
    alone; a template reference with a known shape (`${aws_connect_instance.main.arn}/user/*`)
    is still checked.

    Outside Connect's services, an action without resource-level permissions on a wildcard ARN
    of its own service (`s3:ListAllMyBuckets` on `arn:aws:s3:::*`) is a warning, not an error:
    only `*` is documented, but AWS's own policies write such ARNs and some services honour
    them. Prefixes several services share (`apigateway` V1 and V2, classic and v2
    `elasticloadbalancing`, `ses`, `lex`...) are not judged while the bundled database answers
    for them, since it kept only one service's resource types.

    ## Why it matters
    IAM accepts such a policy and then never matches the request: an agent-management role
    that "allows" `connect:DeleteUser` on `.../user/*` cannot delete anyone (Connect users are
    `.../agent/<id>`), and a Deny written that way stops nothing. No error appears until
    someone is refused, or worse, is not.

    ## Example
    ```json
    {
      "Effect": "Allow",
      "Action": ["connect:DeleteUser", "connect:ListUsers"],
      "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/user/*"
    }
    ```

    ## Fix
    Use the ARN of the resource type the action acts on (the suggestion gives one):
    `.../instance/<id>/agent/*` for user actions, the instance ARN for `connect:ListUsers`,
    `"*"` for actions without resource-level permissions; move actions that need different
    resources into statements of their own.
    """

    id = "CA105"
    name = "resource-mismatch"
    short_description = "An action can apply to none of its statement's resources, or a resource to none of its actions"
    level = "error"

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            if st.effect not in ("Allow", "Deny"):
                continue
            # NotAction / NotResource name what is left out; which actions meet which
            # resources is then open-ended, so they are left alone.
            if "Action" not in st.data or "Resource" not in st.data:
                continue
            yield from self._statement(policy, st, catalog)

    def _statement(self, policy: Policy, st: Statement, catalog: Catalog) -> Iterable[Finding]:
        resources = resource_entries(st, catalog)
        entries = statement_actions(st, catalog)
        if not entries or all(r.any for r in resources):
            return
        all_known = True
        used: set[int] = set()  # indexes of resources some action applies to
        mismatched: list[ResolvedAction] = []
        for entry in entries:
            if entry.unresolved or not entry.actions:
                all_known = False
                continue
            hit = False
            if entry.is_star:
                # Every action of every service: a resource is used when it is of any resource
                # type of its service (checking ~16,000 actions one by one would be slow).
                for i, r in enumerate(resources):
                    if r.any or catalog.resource_types_for_arn(known_text(r.value), r.service):
                        hit = True
                        used.add(i)
            else:
                for a in entry.actions:
                    for i, r in enumerate(resources):
                        if (i not in used or not hit) and action_applies(a, r, catalog):
                            hit = True
                            used.add(i)
                    if hit and len(used) == len(resources):
                        break
            if not hit:
                mismatched.append(entry)
        # Moving an action to a statement of its own is the fix only when others here apply.
        others_apply = len(mismatched) < len(entries)
        for entry in mismatched:
            yield self._action_finding(policy, st, entry, resources, others_apply)
        if not all_known or not others_apply:
            return
        known = [a for e in entries for a in e.actions]
        for i, r in enumerate(resources):
            if i not in used and not r.any:
                yield self._resource_finding(policy, st, r, known, catalog)

    # --- findings ---------------------------------------------------------------------------
    def _action_finding(self, policy: Policy, st: Statement, entry: ResolvedAction,
                        resources: list[ResourceEntry], others_apply: bool) -> Finding:
        arns = [r for r in resources if not r.any]
        effect = "this Allow does not grant" if st.is_allow else "this Deny does not deny"
        name = str(entry.value).strip()
        alone = " (in a statement of its own)" if others_apply else ""
        n = len(entry.actions)
        if all(a.star_only for a in entry.actions):
            if entry.is_wildcard:
                message = (f"None of the {n} actions {name} matches supports resource-level permissions, so they "
                           f'match only "Resource": "*" and {effect} them.')
            else:
                message = (f"{name} supports no resource-level permissions, so it matches only "
                           f'"Resource": "*" and {effect} it.')
            suggestion = f'{"grant" if st.is_allow else "deny"} {name} on "Resource": "*"{alone}'
            if _own_service_wildcards(arns, entry.actions):
                # `s3:ListAllMyBuckets` on `arn:aws:s3:::*`: the catalog documents only `*`, but AWS's
                # own policies write such ARNs and some services honour them; say so, as a warning.
                message = (f"{name} supports no resource-level permissions in the catalog, so only "
                           f'"Resource": "*" is documented to match it; a wildcard ARN of its own service like '
                           f"this one is honoured by some services only, so {effect} it for certain.")
                return self.finding(policy, entry.path, message, suggestion=suggestion, level="warning")
            return self.finding(policy, entry.path, message, suggestion=suggestion, level="error")
        types = _resource_types(entry.actions)
        where = str(arns[0]) if len(arns) == 1 else f"any of this statement's {len(arns)} resources"
        if entry.is_wildcard:
            message = (f"None of the {n} actions {name} matches can apply to {where} "
                       f"(they act on {_type_names(types)}), so {effect} them.")
        else:
            message = f"{name} cannot apply to {where} (it acts on {_type_names(types)}), so {effect} it."
        base = _base_arn(arns, entry.actions[0].service)
        # The resource types closest to what was written first: `.../user/*` means a user.
        types = sorted(types, key=lambda rt: _closeness(known_text(base), rt.name), reverse=True)
        candidates = list(dict.fromkeys(example_arn(rt.arn_format, written=base, placeholders=False) for rt in types))
        suggestion = f"use {' or '.join(candidates[:MAX_EXAMPLES])}"
        if any(a.star_only for a in entry.actions):
            suggestion += ', and "Resource": "*" for its actions without resource-level permissions'
        suggestion += alone
        return self.finding(policy, entry.path, message, suggestion=suggestion, level="error")

    def _resource_finding(self, policy: Policy, st: Statement, r: ResourceEntry, actions: list[Action],
                          catalog: Catalog) -> Finding:
        written = known_text(r.value)
        kinds = _names([rt.name for rt in catalog.resource_types_for_arn(written, r.service)
                        if _same_leading_word(written, rt.arn_format)])
        what = f"resource type {summarise(kinds, None, last=' or ')}" if kinds else f"no {r.service} resource type"
        if st.is_allow:
            message = f"No action of this statement can apply to {r} ({what}), so the entry grants nothing."
            level = "note"
        else:
            message = f"No action of this statement can apply to {r} ({what}), so the Deny protects nothing there."
            level = "error"
        meant = "add the actions meant for it" if st.is_allow else "deny the actions meant for it"
        if kinds:
            suggestion = f"remove it, or {meant}"
        else:
            types = _resource_types([a for a in actions if a.service == r.service] or actions)
            example = example_arn(types[0].arn_format, written=r.value, placeholders=False) if types else None
            suggestion = f"correct it to the resource the actions act on ({example})" if example else "remove it"
        return self.finding(policy, r.path, message, suggestion=suggestion, level=level)


def _resource_types(actions: list[Action]) -> list[ResourceType]:
    """The resource types the actions act on, required ones and the most common first."""
    counts: Counter[str] = Counter()
    required: dict[str, bool] = {}
    by_name: dict[str, ResourceType] = {}
    for a in actions:
        for rt, req in a.resource_types:
            key = f"{rt.service}:{rt.name}"
            counts[key] += 1
            required[key] = required.get(key, False) or req
            by_name.setdefault(key, rt)
    order = sorted(by_name, key=lambda k: (not required[k], -counts[k], k))
    return [by_name[k] for k in order]


def _closeness(written: str, type_name: str) -> tuple[float, int]:
    """How much a written ARN's path words look like a resource type's name (0 to 1), the
    last word (the leaf: `user` in `instance/x/user/*`) winning ties."""
    words = [w for w in re.split(r"[/:]", written.split(":", 5)[-1]) if w]
    name = type_name.lower().removeprefix("wildcard-")
    return max(((difflib.SequenceMatcher(None, w.lower(), name).ratio(), i) for i, w in enumerate(words)),
               default=(0.0, 0))


def _same_leading_word(written: str, arn_format: str) -> bool:
    """Whether the resource parts start alike (`table/*` is no glue `blueprint/...`, although a
    `*` in the region may, by IAM's rules, stretch over colons to make it one)."""
    a = re.split(r"[*?$]", written.split(":", 5)[-1], maxsplit=1)[0]
    b = arn_format.split(":", 5)[-1].split("${", 1)[0]
    return a.startswith(b) or b.startswith(a)


def _names(names: list[str]) -> list[str]:
    """Resource type names without the catalog's `wildcard-x` twin of a listed `x`."""
    return [n for n in names if not (n.startswith("wildcard-") and n[len("wildcard-"):] in names)]


def _type_names(types: list[ResourceType]) -> str:
    names = _names([t.name for t in types])
    return summarise(names, 4) + (" resource types" if len(names) > 4 else " ARNs" if names else "")


def _base_arn(arns: list[ResourceEntry], service: str) -> Any:
    """The written ARN a suggestion starts from: one of the action's own service if any."""
    for r in arns:
        if r.service == service:
            return r.value
    return arns[0].value if arns else ""


def _own_service_wildcards(arns: list[ResourceEntry], actions: list[Action]) -> bool:
    """Every ARN is a written wildcard of the actions' own service (`arn:aws:s3:::*`,
    `log-group:*`), outside Amazon Connect's services, whose rules we know exactly (there
    `connect:ListInstances` on an instance ARN grants nothing)."""
    services = {a.service for a in actions}
    if services & STRICT_ID_SERVICES:
        return False
    # A `*` written in the ARN, not one in a typed hole's pattern.
    return bool(arns) and all(r.service in services and "*" in "".join(literal_parts(r.value)) for r in arns)
