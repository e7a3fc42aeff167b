"""CA107: a condition operator that does not exist, does not fit its key, or gets a bad value."""

from __future__ import annotations

from typing import Any, Iterable

from auditor.catalog import Catalog
from auditor.policy.conditions import (
    Operator,
    closest_operator,
    condition_key_type,
    key_base_type,
    operator_fits_key,
    operator_for_type,
    parse_operator,
    value_items,
    value_problem,
)
from auditor.policy.model import Path, Policy, Statement
from auditor.policy.values import has_holes
from auditor.rule import Finding, Rule

_WHAT_IT_COMPARES = {
    "String": "strings", "ARN": "ARNs", "Numeric": "numbers", "Date": "dates", "Bool": "booleans",
    "IPAddress": "IP addresses", "Binary": "binary values",
}
_VALUE_HINTS = {
    "Bool": 'use "true" or "false"',
    "Null": 'use "true" (the key is absent) or "false" (it is present)',
    "Numeric": "use a number, such as 3600",
    "Date": "use an ISO 8601 date and time, such as 2025-01-31T00:00:00Z, or an epoch time in seconds",
    "IPAddress": "use an IP address or CIDR range, such as 203.0.113.0/24 or 2001:db8::/32",
}


class ConditionOperatorMismatch(Rule):
    """Reports condition operators that IAM does not have, that do not fit the type of their
    key, that use set operators the wrong way round, or whose values they cannot compare.

    ## What it does
    For each operator of a `Condition` block and each key under it:

    - an operator that does not exist (`StringEqual`, `IPAddress`, `NullIfExists`): error, with
      the closest real one. Operator names are case-sensitive.
    - an operator that does not compare the key's type (`StringEquals` on `aws:SourceIp`,
      `NumericLessThan` on `aws:CurrentTime`): warning; error for `IpAddress`/`NotIpAddress` on a
      key that is no IP address, which can never match. String operators on ARN keys are fine
      (AWS allows `StringLike` on them), as are ARN operators on String keys whose values are
      ARNs, `Null` and `...IfExists` on any key, and numeric operators on `aws:EpochTime`.
    - a multivalued key (`aws:TagKeys`, `aws:CalledVia`, ...) without `ForAnyValue:` or
      `ForAllValues:` (warning), and a set operator on a single-valued key (warning;
      `ForAllValues:` there is true when the key is missing, a known over-permissive pattern).
    - a value the operator cannot compare (error: the comparison never succeeds): a `Bool` or
      `Null` value other than `"true"`/`"false"`, an `IpAddress` value that is no address or
      CIDR range, a date that is neither ISO 8601 nor epoch seconds, a number that is not one.

    Keys the catalog does not know (CA106 reports them) get only the operator-name and value
    checks; template holes and policy variables (`${aws:username}`) are never judged.

    ## Why it matters
    IAM rejects a policy with an unknown operator at deployment; the other mistakes deploy and
    then silently make the condition always false (the permission never works, the guardrail
    never fires) or, with `ForAllValues:` on a single-valued key, always true.

    ## Example
    ```json
    "Condition": {
      "StringEqual": {"connect:InstanceId": "00fbeee1-123e-111e-93e3-11111bfbfcc1"},
      "ForAllValues:StringEquals": {"aws:PrincipalTag/Team": "Billing"},
      "Bool": {"aws:MultiFactorAuthPresent": "yes"}
    }
    ```

    ## Fix
    Use the operator the suggestion names (`StringEquals`; `IpAddress` for `aws:SourceIp`),
    `ForAnyValue:`/`ForAllValues:` only with multivalued keys, and values of the operator's type.
    """

    id = "CA107"
    name = "condition-operator-mismatch"
    short_description = "A condition operator does not exist, does not fit its key, or cannot compare its value"
    level = "warning"

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            block = st.data.get("Condition")
            if not isinstance(block, dict):
                continue
            for op_text, keys in block.items():
                if not isinstance(op_text, str) or has_holes(op_text):
                    continue
                op_path = st.path + ("Condition", op_text)
                op = parse_operator(op_text)
                if op is None:
                    yield self._unknown_operator(policy, op_text, op_path)
                    continue
                if not isinstance(keys, dict):
                    continue
                for key, value in keys.items():
                    if not isinstance(key, str) or has_holes(key):
                        continue
                    yield from self._key(policy, st, op, key, value, op_path + (key,), catalog)

    def _unknown_operator(self, policy: Policy, op_text: str, path: Path) -> Finding:
        better = closest_operator(op_text)
        message = f"{op_text} is not a condition operator, so IAM rejects the policy."
        return self.finding(policy, path, message, suggestion=f"use {better}" if better else None,
                            level="error", at_key=True)

    def _key(self, policy: Policy, st: Statement, op: Operator, key: str, value: Any, path: Path,
             catalog: Catalog) -> Iterable[Finding]:
        key_type = condition_key_type(catalog, key)
        if key_type is not None:
            base, multi = key_base_type(key_type)
            if not operator_fits_key(op, key, key_type) and not _arns_in_string_key(op, base, value):
                yield self._mismatch(policy, op, key, base, path)
            elif op.category != "Null":
                if multi and op.set_prefix is None:
                    message = f"{key} is multivalued, but {op.text} compares it as a single value."
                    yield self.finding(policy, path, message, at_key=True, level="warning",
                                       suggestion=f"use ForAnyValue:{op.text} or ForAllValues:{op.text}")
                elif not multi and op.set_prefix is not None:
                    plain = op.text.split(":", 1)[1]
                    if op.set_prefix == "ForAllValues":
                        also = ("so the statement also allows requests without the key" if st.is_allow
                                else "so the Deny also applies to requests without the key")
                        message = f"{key} is single-valued, and ForAllValues: on it is true when the key is missing, {also}."
                    else:
                        message = f"{key} is single-valued, so the set operator ForAnyValue: is not meant for it."
                    yield self.finding(policy, path, message, at_key=True, level="warning",
                                       suggestion=f"use {plain}")
        yield from self._values(policy, op, key, value, path)

    def _mismatch(self, policy: Policy, op: Operator, key: str, base: str, path: Path) -> Finding:
        right = operator_for_type(op, base)
        compares = _WHAT_IT_COMPARES.get(op.category, op.category)
        message = f"{op.text} compares {compares}, but {key} is {_article(base)} {base} key."
        level = "warning"
        if op.category == "IPAddress":
            message = f"{op.text} compares IP addresses, but {key} is {_article(base)} {base} key, so it never matches."
            level = "error"
        return self.finding(policy, path, message, suggestion=f"use {right}" if right else None,
                            level=level, at_key=True)

    def _values(self, policy: Policy, op: Operator, key: str, value: Any, path: Path) -> Iterable[Finding]:
        if op.category not in _VALUE_HINTS:
            return
        for v, idx in value_items(value):
            if isinstance(v, (dict, list)) or v is None:
                continue  # CA002 reports values of the wrong shape
            if isinstance(v, str) and (has_holes(v) or "${" in v):
                continue  # unresolved, or a policy variable resolved at request time
            problem = value_problem(op.category, v)
            if problem is None:
                continue
            shown = f'"{v}"' if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
            message = f"{op.text} value {shown} for {key} {problem}, so the comparison never succeeds."
            yield self.finding(policy, path + idx, message, suggestion=_VALUE_HINTS[op.category], level="error")


def _arns_in_string_key(op: Operator, base: str, value: Any) -> bool:
    """An ARN operator on a String key whose values are ARNs compares them as ARNs, which
    works (AWS's own policies do it with kms:EncryptionContext:aws:s3:arn)."""
    if op.category != "ARN" or base != "String":
        return False
    items = [v for v, _ in value_items(value)]
    return bool(items) and all(isinstance(v, str) and (v.startswith("arn:") or has_holes(v) or v.startswith("${"))
                               for v in items)


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" else "a"
