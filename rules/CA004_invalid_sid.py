"""CA004: statement ids that repeat within a policy, or that IAM's Sid alphabet rejects."""

from __future__ import annotations

import re
from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.elements import KIND_LABELS
from auditor.policy.model import Path, Policy
from auditor.policy.values import has_holes
from auditor.policy.variables import literal_parts
from auditor.rule import Finding, Rule

# IAM validates these kinds itself and accepts only [A-Za-z0-9] in a Sid ("Statement IDs (SID)
# must be alpha-numeric"). Resource-based policies are validated by their service, and several
# (S3, KMS) accept spaces, so their Sids are only checked for uniqueness.
_IAM_ALPHABET_KINDS = {"identity", "boundary", "trust", "scp"}
_BAD = re.compile(r"[^A-Za-z0-9]")


def sid_suggestion(sid: str, taken: set[str], index: int) -> str:
    """An alphanumeric Sid close to `sid` and not in `taken`: words joined in CamelCase."""
    words = [w for w in _BAD.split(sid) if w]
    base = "".join(w[0].upper() + w[1:] for w in words) or f"Statement{index}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


def _shown(chars: list[str]) -> str:
    names = {" ": "space", "\t": "tab", "_": "underscore", "-": "hyphen", ".": "full stop", ":": "colon", "/": "slash"}
    return ", ".join(f'"{c}" ({names[c]})' if c in names else f'"{c}"' for c in chars)


class InvalidSid(Rule):
    """Reports statement ids (`Sid`) that repeat within a policy or use characters IAM rejects.

    ## What it does
    Reports a `Sid` used by more than one statement of the same policy (at each repeat), and,
    in policies IAM validates itself (identity-based policies, permissions boundaries, role
    trust policies and SCPs), a `Sid` with anything but ASCII letters and digits: spaces,
    hyphens, underscores, dots. It suggests an alphanumeric Sid built from the same words.
    Resource-based policies are only checked for repeats: services such as S3 and KMS accept
    spaces in their Sids. Parts of a Sid a template has not resolved are never reported, and
    an empty Sid (as the IAM console writes in trust policies) is allowed.

    ## Why it matters
    IAM rejects the policy with `MalformedPolicyDocument` ("Statement IDs (SID) must be
    alpha-numeric", "The Statement Ids in the policy are not unique"), so the deployment fails
    at apply time, after `terraform plan` or a change set looked fine. Sids copied from S3 or
    KMS examples (`"Sid": "Allow Connect to write recordings"`) are a common cause.

    ## Example
    ```json
    { "Version": "2012-10-17",
      "Statement": [ { "Sid": "allow-agent-describe", "Effect": "Allow", "Action": "connect:DescribeUser",
                       "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/agent/*" } ] }
    ```

    ## Fix
    Use letters and digits only (`AllowAgentDescribe`), and give every statement of a policy
    its own Sid.
    """

    id = "CA004"
    name = "invalid-sid"
    short_description = "A statement id repeats within the policy or uses characters IAM rejects"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        kind = policy.kind.value
        sids: list[tuple[str, Path, int]] = []
        for st in policy.statements():
            sid = st.data.get("Sid")
            if isinstance(sid, str):
                sids.append((sid, st.path + ("Sid",), st.index))
        taken = {s for s, _, _ in sids if not has_holes(s)}

        first: dict[str, int] = {}
        for sid, path, index in sids:
            bad: list[str] = []
            if kind in _IAM_ALPHABET_KINDS:
                bad = sorted({c for part in literal_parts(sid) for c in _BAD.findall(part)})
            repeat = not has_holes(sid) and sid != "" and sid in first
            if not has_holes(sid) and sid != "":
                first.setdefault(sid, index)
            if not bad and not repeat:
                continue
            # One new name per offending statement, used by both findings, never one already taken.
            new = None if has_holes(sid) else sid_suggestion(sid, taken, index)
            if new:
                taken.add(new)
            if bad:
                yield self.finding(
                    policy, path,
                    f'Sid "{sid}" has {_shown(bad)}: IAM allows only letters A-Z, a-z and digits 0-9 '
                    f"in the Sid of {KIND_LABELS[kind]}",
                    suggestion=f'rename it "{new}"' if new else "use only letters and digits around the template value",
                )
            if repeat:
                if kind == "resource":
                    msg = (f'Sid "{sid}" is already the Sid of Statement[{first[sid]}]: services such as SQS and SNS '
                           "require unique Sids, and reviews cannot tell the statements apart")
                    level = "warning"
                else:
                    msg = (f'Sid "{sid}" is already the Sid of Statement[{first[sid]}]: IAM requires each Sid to be '
                           "unique within a policy")
                    level = None
                yield self.finding(policy, path, msg, suggestion=f'rename it "{new}"', level=level)
