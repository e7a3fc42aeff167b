"""CA003: a policy's Version is missing, invalid, or too old for the policy variables it uses."""

from __future__ import annotations

import datetime
import json
from typing import Any, Iterable

from auditor.catalog import Catalog
from auditor.policy.elements import closest_name
from auditor.policy.model import Path, Policy
from auditor.policy.values import has_holes
from auditor.policy.variables import policy_variables, walk_strings
from auditor.rule import Finding, Rule

CURRENT = "2012-10-17"
OLD = "2008-10-17"
_ADD = f'add "Version": "{CURRENT}" as the first element of the policy'


def _where(path: Path) -> str:
    """`Statement[0].Resource[1]`, `Statement[2].Condition.StringLike.s3:prefix`."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def variables_used(policy: Policy) -> list[tuple[str, Path]]:
    """Policy variables in the places IAM substitutes them: Resource, NotResource and the
    values of Condition (never the keys)."""
    found: list[tuple[str, Path]] = []
    for st in policy.statements():
        for element in ("Resource", "NotResource", "Condition"):
            if element not in st.data:
                continue
            for value, path in walk_strings(st.data[element], st.path + (element,)):
                found.extend((var, path) for var in policy_variables(value))
    return found


def _named(found: list[tuple[str, Path]]) -> str:
    var, path = found[0]
    more = len(found) - 1
    if not more:
        return f"{var} (in {_where(path)}) is"
    return f"{var} (in {_where(path)}) and {more} more {'variable' if more == 1 else 'variables'} are"


class PolicyVersion(Rule):
    """Reports a missing or invalid policy `Version`, and `2008-10-17` with policy variables.

    ## What it does
    Checks the policy's `Version` element: it should be `"2012-10-17"`. A missing `Version` is a
    warning (an error when the policy uses policy variables); `"2008-10-17"` in a policy that
    uses policy variables such as `${aws:username}` or `${aws:PrincipalTag/team}` in a
    `Resource` or a `Condition` value is an error; any other value (a date the author picked, a
    number) is an error. `"2008-10-17"` without variables is a note. A `Version` a template
    has not resolved is not reported; a lone statement without its policy wrapper is left to
    CA002.

    ## Why it matters
    Without a `Version`, IAM applies the 2008-10-17 policy language, in which `${...}` is not
    substituted: `arn:aws:connect:...:instance/.../agent/${aws:userid}` then matches only a
    resource literally named `${aws:userid}`, so the statement silently grants (or, in a Deny,
    guards) nothing. IAM rejects a `Version` that is neither of the two language versions.

    ## Example
    ```json
    { "Version": "2008-10-17",
      "Statement": [ { "Effect": "Allow", "Action": "connect:GetFederationToken",
        "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/user/${aws:userid}" } ] }
    ```

    ## Fix
    Set `"Version": "2012-10-17"` at the top of the policy. It is the version of the policy
    language, not the date the policy was written.
    """

    id = "CA003"
    name = "policy-version"
    short_description = "The policy Version is missing, invalid or too old for its policy variables"
    level = "warning"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        doc = policy.document
        if policy.unparsable or not isinstance(doc, dict) or has_holes(doc):
            return
        if "Statement" not in doc and any(k in doc for k in ("Effect", "Action", "NotAction")):
            return  # a lone statement: CA002 asks for the whole wrapper, Version included
        found = variables_used(policy)
        if "Version" not in doc:
            if any(isinstance(k, str) and closest_name(k, ("Version",)) for k in doc):
                return  # a misspelt "version" key: CA002 says so
            if found:
                yield self.finding(
                    policy, (),
                    f"the policy has no Version, so IAM applies {OLD}, which does not substitute policy variables: "
                    f"{_named(found)} matched as literal text",
                    suggestion=_ADD, level="error",
                )
            else:
                yield self.finding(
                    policy, (),
                    f"the policy has no Version, so IAM applies the old {OLD} language, under which policy "
                    "variables such as ${aws:username} are literal text",
                    suggestion=_ADD,
                )
            return
        yield from self._version(policy, doc["Version"], found)

    def _version(self, policy: Policy, value: Any, found: list[tuple[str, Path]]) -> Iterable[Finding]:
        path: Path = ("Version",)
        fix = f'write "Version": "{CURRENT}"'
        if isinstance(value, datetime.date) and value.isoformat() in (CURRENT, OLD):
            value = value.isoformat()  # unquoted in YAML; CloudFormation passes it on as that string
        if has_holes(value) or value == CURRENT:
            return
        if not isinstance(value, str):
            shown = json.dumps(value, default=str)
            yield self.finding(policy, path, f'Version must be the string "{CURRENT}", not {shown}',
                               suggestion=fix, level="error")
            return
        if value == OLD:
            if found:
                yield self.finding(
                    policy, path,
                    f'Version "{OLD}" does not substitute policy variables: {_named(found)} matched as literal text',
                    suggestion=fix, level="error",
                )
            else:
                yield self.finding(
                    policy, path,
                    f'Version "{OLD}" is the old policy language: it does not support policy variables, and AWS recommends 2012-10-17 for every policy',
                    suggestion=fix, level="note",
                )
            return
        if value.strip() in (CURRENT, OLD):
            msg = f"Version {json.dumps(value)} has stray white space: IAM rejects it"
            fix = f'write "Version": "{value.strip()}"'
        else:
            msg = (f"Version {json.dumps(value)} is not a policy language version: IAM accepts only "
                   f'"{CURRENT}" (current) and "{OLD}"')
            fix += " (the version of the policy language, not the date the policy was written)"
        yield self.finding(policy, path, msg, suggestion=fix, level="error")
