"""CA002: a policy whose elements IAM's grammar rejects (missing, misspelt, clashing, wrong type)."""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

from auditor.catalog import Catalog
from auditor.policy.elements import (
    EFFECTS,
    EXCLUSIVE_PAIRS,
    KIND_LABELS,
    POLICY_ELEMENTS,
    PRINCIPAL_TYPES,
    STATEMENT_ELEMENTS,
    closest_name,
)
from auditor.policy.model import Path, Policy
from auditor.policy.values import has_holes
from auditor.rule import Finding, Rule

# Kinds whose grammar is the identity-policy one: no Principal; a Resource is required except
# in SCPs (whose Resource rules Organizations applies itself, so we stay silent there).
_NO_PRINCIPAL = {"identity", "boundary", "session", "scp"}
_NEEDS_RESOURCE = {"identity", "boundary", "session"}
_NEEDS_PRINCIPAL = {"trust", "resource"}
_LEVEL_NOUN = {"policy element": "policy element", "statement element": "statement element",
               "principal type": "principal type", "element": "policy grammar element"}
_WRAPPER = '{"Version": "2012-10-17", "Statement": [ ... ]}'
_STATEMENT_HINT = ("Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"the string {json.dumps(str(value))}"


def _classify(key: str, primary: tuple[str, ...], secondary: tuple[str, ...]) -> tuple[str, str | None]:
    """How a member name relates to the grammar at its level: ("ok", name), ("misplaced",
    name) for an element of the other level, ("misspelt", name), ("misplaced-misspelt",
    name) or ("unknown", None)."""
    if key in primary:
        return "ok", key
    if key in secondary:
        return "misplaced", key
    near = closest_name(key, primary)
    if near:
        return "misspelt", near
    near = closest_name(key, secondary)
    if near:
        return "misplaced-misspelt", near
    return "unknown", None


class InvalidPolicyStructure(Rule):
    """Reports policy elements that IAM's policy grammar rejects.

    ## What it does
    Checks the shape of every policy and statement against the IAM policy grammar:
    a policy needs a `Statement` (a lone statement copied out of a policy needs its
    `{Version, Statement: [...]}` wrapper); a statement needs an `Effect` of exactly `Allow` or
    `Deny`, an `Action` or a `NotAction` (never both; the same for `Resource`/`NotResource` and
    `Principal`/`NotPrincipal`), a `Resource` in an identity-based policy, no `Principal` in an
    identity-based policy, and a `Principal` in a trust or resource-based policy. It reports
    misspelt or wrongly cased element names (`Actions`, `Condtion`, `action`) with the right
    name, and values of the wrong type (an `Action` that is not a string or a list of strings,
    an empty `Action` list, a `Condition` that is not an object of objects, a `Sid` that is not
    a string). Values a template has not resolved yet are never reported.

    ## Why it matters
    IAM, CloudFormation and Terraform reject such a document (`MalformedPolicyDocument`), so
    the deployment fails; where a tool accepts it (an unknown element in a hand-built
    document), the statement does not do what it says. Amazon Connect's documentation has
    examples that are single statements without their wrapper, and they get copied as they are.

    ## Example
    ```json
    { "Version": "2012-10-17",
      "Statement": [ { "Effect": "allow", "Actions": ["connect:DescribeUser"],
                       "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/agent/*" } ] }
    ```

    ## Fix
    Write `"Effect": "Allow"` (case matters) and rename `Actions` to `Action`; wrap a lone
    statement in `{"Version": "2012-10-17", "Statement": [ ... ]}`.
    """

    id = "CA002"
    name = "invalid-policy-structure"
    short_description = "The policy does not follow IAM's policy grammar"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        doc = policy.document
        if policy.unparsable or doc is None or has_holes(doc):
            return
        if not isinstance(doc, dict):
            yield self.finding(policy, (), f"the policy document is {_type_name(doc)}, not a JSON object",
                               suggestion=f"write the policy as one object: {_WRAPPER}")
            return
        yield from self._document(policy, doc)

    # --- the policy level ------------------------------------------------------------------
    def _document(self, policy: Policy, doc: dict[str, Any]) -> Iterator[Finding]:
        classes = {k: _classify(k, POLICY_ELEMENTS, STATEMENT_ELEMENTS) for k in doc if not has_holes(k)}
        statement_keys = [k for k, (_, name) in classes.items() if name == "Statement"]
        lone = not statement_keys and any(name in _STATEMENT_HINT for _, name in classes.values())
        if lone:
            yield self.finding(
                policy, (),
                "the document is a single statement without its policy wrapper: IAM rejects it",
                suggestion=f"wrap it in {_WRAPPER}",
            )
            yield from self._statement(policy, doc, (), lone=True)
            return

        for key, (how, name) in classes.items():
            if how == "misspelt":
                yield self._misspelt(policy, (key,), key, name, "policy element")  # type: ignore[arg-type]
            elif how == "misplaced":
                yield self.finding(
                    policy, (key,),
                    f'"{key}" is a statement element, not a policy element: IAM rejects it at the top of the policy',
                    suggestion=f'move "{key}" into the statement it belongs to', at_key=True,
                )
            elif how in ("misplaced-misspelt", "unknown"):
                yield self.finding(
                    policy, (key,),
                    f'"{key}" is not a policy element: a policy has only Version, Id and Statement',
                    suggestion=f'remove "{key}"' + (f' (or, if you meant "{name}", rename it and move it into a statement)'
                                                    if name else ""),
                    at_key=True,
                )

        if "Id" in doc and not isinstance(doc["Id"], str):
            yield self.finding(policy, ("Id",), f"Id must be a string, not {_type_name(doc['Id'])}",
                               suggestion=f'write it as a string: "Id": {json.dumps(str(doc["Id"]))}')

        if not statement_keys:
            yield self.finding(
                policy, (), "the policy has no Statement element: it grants and denies nothing, and IAM rejects it",
                suggestion='add "Statement": [{"Effect": "Allow", "Action": [...], "Resource": [...]}]',
            )
            return
        for key in statement_keys:
            yield from self._statements(policy, doc[key], (key,))

    def _statements(self, policy: Policy, body: Any, path: Path) -> Iterator[Finding]:
        if has_holes(body):
            return
        if isinstance(body, dict):
            yield from self._statement(policy, body, path)
        elif isinstance(body, list):
            if not body:
                yield self.finding(policy, path, "Statement is an empty list: the policy has no statement, and IAM rejects it",
                                   suggestion='add at least one statement: {"Effect": "Allow", "Action": [...], "Resource": [...]}')
            for i, st in enumerate(body):
                if isinstance(st, dict):
                    yield from self._statement(policy, st, path + (i,))
                elif not has_holes(st):
                    yield self.finding(policy, path + (i,), f"a statement must be an object, not {_type_name(st)}",
                                       suggestion='write it as {"Effect": ..., "Action": ..., "Resource": ...}')
        else:
            yield self.finding(policy, path, f"Statement must be a list of statements or one statement object, not {_type_name(body)}",
                               suggestion='write "Statement": [{"Effect": ..., "Action": ..., "Resource": ...}]')

    # --- the statement level ---------------------------------------------------------------
    def _statement(self, policy: Policy, st: dict[str, Any], path: Path, lone: bool = False) -> Iterator[Finding]:
        kind = policy.kind.value
        label = KIND_LABELS.get(kind, "this kind of policy")
        present: dict[str, str] = {}  # element name -> the key that stands for it
        for key in st:
            if has_holes(key):
                continue
            how, name = _classify(key, STATEMENT_ELEMENTS, POLICY_ELEMENTS)
            if how == "ok":
                present.setdefault(key, key)
            elif how == "misspelt":
                present.setdefault(name, key)  # type: ignore[arg-type]
                yield self._misspelt(policy, path + (key,), key, name, "statement element")  # type: ignore[arg-type]
            elif how == "misplaced" and lone:
                continue  # the Version of a lone statement goes into the wrapper CA002 asks for
            elif how == "misplaced":
                yield self.finding(
                    policy, path + (key,),
                    f'"{key}" belongs at the top of the policy, not inside a statement: IAM rejects it here',
                    suggestion=f'move "{key}" to the top level, beside "Statement"' if key != "Statement"
                    else "statements cannot be nested: list each one in the policy's Statement list",
                    at_key=True,
                )
            else:
                near = f' (did you mean "{name}", which belongs at the top of the policy?)' if name else ""
                yield self.finding(
                    policy, path + (key,),
                    f'"{key}" is not a statement element{near}: IAM rejects it',
                    suggestion=f'remove "{key}"; a statement has only {", ".join(STATEMENT_ELEMENTS)}',
                    at_key=True,
                )

        # Effect
        if "Effect" in present:
            yield from self._effect(policy, st[present["Effect"]], path + (present["Effect"],))
        else:
            yield self.finding(policy, path, "the statement has no Effect",
                               suggestion='add "Effect": "Allow" or "Effect": "Deny"')

        # Elements that exclude each other
        for a, b in EXCLUSIVE_PAIRS:
            if a in present and b in present:
                yield self.finding(
                    policy, path + (present[b],),
                    f'the statement has both "{a}" and "{b}": IAM rejects a statement with both',
                    suggestion=f'keep one: {a} names what the statement applies to, {b} everything except what it names',
                    at_key=True,
                )

        if "Action" not in present and "NotAction" not in present:
            yield self.finding(policy, path, "the statement has neither Action nor NotAction: it applies to no action",
                               suggestion='add "Action": the actions it allows or denies, e.g. ["connect:DescribeUser"]')

        # Resource and Principal by kind of policy; a lone statement's kind is a loader's guess
        # (it has no siblings to tell), so those checks wait until it is wrapped.
        if lone:
            kind = ""
        if kind in _NEEDS_RESOURCE and "Resource" not in present and "NotResource" not in present:
            yield self.finding(policy, path, f"the statement has no Resource: {label} needs a Resource or NotResource in every statement",
                               suggestion='add "Resource": the ARNs it applies to, or "*" for actions that take no resource')
        if kind == "trust":
            for el in ("Resource", "NotResource"):
                if el in present:
                    yield self.finding(policy, path + (present[el],),
                                       f'a trust policy takes no "{el}": IAM rejects it (the role itself is the resource)',
                                       suggestion=f'remove "{el}"', at_key=True)
        if kind in _NO_PRINCIPAL:
            for el in ("Principal", "NotPrincipal"):
                if el in present:
                    yield self.finding(
                        policy, path + (present[el],),
                        f'"{el}" is not allowed in {label}: IAM rejects it (the policy applies to whoever it is attached to)',
                        suggestion=f'remove "{el}"; if this is a resource-based or trust policy, every statement needs a Principal',
                        at_key=True,
                    )
        if kind in _NEEDS_PRINCIPAL and "Principal" not in present and "NotPrincipal" not in present:
            who = "who may assume the role" if kind == "trust" else "whom it grants or denies access"
            yield self.finding(policy, path, f"the statement has no Principal: {label} must name {who}",
                               suggestion='add "Principal", e.g. {"AWS": "arn:aws:iam::123456789012:root"} or {"Service": "connect.amazonaws.com"}')

        # Value types
        if "Sid" in present:
            sid = st[present["Sid"]]
            if not isinstance(sid, str):
                yield self.finding(policy, path + (present["Sid"],), f"Sid must be a string, not {_type_name(sid)}",
                                   suggestion=f'write it as a string of letters and digits: "Sid": "Statement{_digits(sid)}"')
        for el in ("Action", "NotAction", "Resource", "NotResource"):
            if el in present:
                yield from self._string_list(policy, st[present[el]], path + (present[el],), el)
        for el in ("Principal", "NotPrincipal"):
            if el in present:
                yield from self._principal(policy, st[present[el]], path + (present[el],), el)
        if "Condition" in present:
            yield from self._condition(policy, st[present["Condition"]], path + (present["Condition"],))

    def _misspelt(self, policy: Policy, path: Path, key: str, name: str, what: str = "element") -> Finding:
        if key.strip().lower() == name.lower():
            msg = f'"{key}" must be written "{name}": IAM {what} names are case-sensitive'
        else:
            msg = f'"{key}" is not a {_LEVEL_NOUN[what]}: did you mean "{name}"?'
        return self.finding(policy, path, msg, suggestion=f'rename "{key}" to "{name}"', at_key=True)

    def _effect(self, policy: Policy, value: Any, path: Path) -> Iterator[Finding]:
        if has_holes(value):
            return
        if not isinstance(value, str):
            yield self.finding(policy, path, f'Effect must be "Allow" or "Deny", not {_type_name(value)}',
                               suggestion='write "Effect": "Allow" or "Effect": "Deny"')
            return
        if value in EFFECTS:
            return
        near = closest_name(value, EFFECTS, cutoff=0.5)
        if near and value.strip().lower() == near.lower():
            msg = f'Effect "{value}" must be written exactly "{near}": IAM rejects any other case or spacing'
        elif near:
            msg = f'Effect "{value}" is not valid: did you mean "{near}"? It must be exactly "Allow" or "Deny"'
        else:
            msg = f'Effect "{value}" is not valid: it must be exactly "Allow" or "Deny"'
        yield self.finding(policy, path, msg,
                           suggestion=f'write "Effect": "{near}"' if near else 'write "Effect": "Allow" or "Effect": "Deny"')

    def _string_list(self, policy: Policy, value: Any, path: Path, el: str) -> Iterator[Finding]:
        example = '"connect:DescribeUser"' if "Action" in el else '"arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"'
        if has_holes(value) or isinstance(value, str):
            return
        if isinstance(value, list):
            if not value:
                what = "action" if "Action" in el else "resource"
                yield self.finding(policy, path, f"{el} is an empty list: the statement applies to no {what}, and IAM rejects it",
                                   suggestion=f"list at least one {what}, e.g. [{example}], or remove the statement")
            for i, item in enumerate(value):
                if not isinstance(item, str) and not has_holes(item):
                    yield self.finding(policy, path + (i,), f"each {el} entry must be a string, not {_type_name(item)}",
                                       suggestion=f"write it as a string, e.g. {example}")
            return
        fixed = _actions_from_object(value) if "Action" in el else None
        yield self.finding(policy, path, f"{el} must be a string or a list of strings, not {_type_name(value)}",
                           suggestion=f"write it as a list of strings: {json.dumps(fixed)}" if fixed
                           else f"write it as a list of strings, e.g. [{example}]")

    def _principal(self, policy: Policy, value: Any, path: Path, el: str) -> Iterator[Finding]:
        if has_holes(value) or value == "*":
            return
        if isinstance(value, str):
            yield self.finding(policy, path, f'{el} must be "*" or an object such as {{"AWS": ...}}, not the string {json.dumps(str(value))}',
                               suggestion=f"write {json.dumps({_principal_type(value): str(value)})}")
            return
        if not isinstance(value, dict):
            yield self.finding(policy, path, f'{el} must be "*" or an object such as {{"AWS": ...}}, not {_type_name(value)}',
                               suggestion='write it as {"AWS": "arn:aws:iam::123456789012:root"} or {"Service": "connect.amazonaws.com"}')
            return
        for key, ids in value.items():
            if has_holes(key):
                continue
            if key not in PRINCIPAL_TYPES:
                near = closest_name(key, PRINCIPAL_TYPES)
                if near:
                    yield self._misspelt(policy, path + (key,), key, near, "principal type")
                else:
                    yield self.finding(policy, path + (key,),
                                       f'"{key}" is not a principal type: use AWS, Service, Federated or CanonicalUser',
                                       suggestion=_principal_type_hint(key, ids), at_key=True)
            if has_holes(ids) or isinstance(ids, str):
                continue
            if isinstance(ids, list):
                if not ids:
                    yield self.finding(policy, path + (key,), f'the principal list "{key}" is empty: it names no principal',
                                       suggestion="list at least one principal, or remove the entry")
                for i, item in enumerate(ids):
                    if not isinstance(item, str) and not has_holes(item):
                        yield self.finding(policy, path + (key, i), f"each principal must be a string, not {_type_name(item)}",
                                           suggestion='write it as a string, e.g. "arn:aws:iam::123456789012:root"')
            else:
                yield self.finding(policy, path + (key,), f'the principals of "{key}" must be a string or a list of strings, not {_type_name(ids)}',
                                   suggestion='write it as a string or a list, e.g. ["arn:aws:iam::123456789012:root"]')

    def _condition(self, policy: Policy, block: Any, path: Path) -> Iterator[Finding]:
        if has_holes(block):
            return
        example = '{"StringEquals": {"aws:RequestedRegion": "us-east-1"}}'
        if not isinstance(block, dict):
            yield self.finding(policy, path, f"Condition must be an object of operators, each an object of keys, not {_type_name(block)}",
                               suggestion=f"write it as {example}")
            return
        for op, keys in block.items():
            if has_holes(keys):
                continue
            if not isinstance(keys, dict):
                key_hint = str(keys) if isinstance(keys, str) and ":" in keys else "<condition key>"
                yield self.finding(policy, path + (op,),
                                   f'the condition operator "{op}" must map to an object of condition keys and values, not {_type_name(keys)}',
                                   suggestion=f'write it as "{op}": {{"{key_hint}": "<value>"}}')
                continue
            for key, val in keys.items():
                items = val if isinstance(val, list) else [val]
                for i, item in enumerate(items):
                    if isinstance(item, (dict, list)) or item is None:
                        where = path + (op, key) + ((i,) if isinstance(val, list) else ())
                        flat = _scalars(item)
                        yield self.finding(policy, where,
                                           f'the value of condition key "{key}" must be a string, number or boolean (or a list of them), '
                                           f"not {_type_name(item)}",
                                           suggestion=f"write the value as a string or a list of strings: {json.dumps(flat)}" if flat
                                           else "write the value as a string or a list of strings")


def _digits(value: Any) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", str(value)) or "1"


def _principal_type(value: str) -> str:
    v = str(value)
    if v.endswith(".amazonaws.com"):
        return "Service"
    if v.startswith("arn:") and (":saml-provider/" in v or ":oidc-provider/" in v):
        return "Federated"
    if re.fullmatch(r"[0-9a-f]{64}", v):
        return "CanonicalUser"
    return "AWS"



def _principal_type_hint(key: str, ids: Any) -> str:
    first = ids if isinstance(ids, str) else next((i for i in ids if isinstance(i, str)), None) if isinstance(ids, list) else None
    if first is None:
        return f'rename "{key}" to AWS, Service, Federated or CanonicalUser, whichever its value is'
    return f'rename "{key}" to "{_principal_type(first)}"'


def _actions_from_object(value: Any) -> list[str] | None:
    """`{"connect": "DescribeQueue"}` or `{"connect": ["A", "B"]}` as the action list it means."""
    if not isinstance(value, dict) or not value:
        return None
    out: list[str] = []
    for prefix, names in value.items():
        names = names if isinstance(names, list) else [names]
        if not isinstance(prefix, str) or not all(isinstance(n, str) for n in names):
            return None
        out.extend(f"{prefix}:{n}" for n in names)
    return out or None


def _scalars(value: Any) -> list[Any]:
    """The plain values inside a nested condition value, for the flattened suggestion."""
    if isinstance(value, dict):
        return [x for v in value.values() for x in _scalars(v)]
    if isinstance(value, list):
        return [x for v in value for x in _scalars(v)]
    return [] if value is None else [value]
