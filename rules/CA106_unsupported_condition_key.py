"""CA106: a condition key that does not exist, or that no action of its statement supports."""

from __future__ import annotations

from typing import Any, Iterable

from auditor.catalog import Action, Catalog, key_matches
from auditor.catalog.global_keys import ACTION_SCOPED_GLOBAL_PREFIXES, GLOBAL_CONDITION_KEYS
from auditor.connect.knowledge import retired_condition_key
from auditor.policy.actions import known_statement_actions
from auditor.policy.conditions import (CROSS_SERVICE_KEYS, _foreign_keys, condition_key_type, cross_service_key_type,
                                       parse_operator, value_items)
from auditor.policy.model import Path, Policy, Statement
from auditor.policy.staleness import catalog_age
from auditor.policy.suggest import closest
from auditor.policy.values import has_holes
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

# Tag keys every service spells with the global prefix; `connect:ResourceTag/x` means `aws:...`.
_TAG_KEY_NAMES = {"resourcetag/": "ResourceTag/", "requesttag/": "RequestTag/", "tagkeys": "TagKeys"}


class UnsupportedConditionKey(Rule):
    """Reports condition keys that do not exist, and keys that no action of the statement
    puts in its request context.

    ## What it does
    Looks up every key of a statement's `Condition` block in the catalog (global `aws:` keys,
    the keys of each service, case-insensitively as IAM compares them) and reports:

    - a key that exists nowhere (error), with the key it most likely means:
      `connect:ResourceTag/Dept` -> `aws:ResourceTag/Dept`, `aws:SourceIP ` -> `aws:SourceIp`.
      A service key may be newer than the catalog: the message names the catalog (and, when no
      real key is close, how to refresh it), and such a finding is a warning when that catalog
      is older than `stale_after_days` (option, default 90). A key of a service prefix the
      catalog does not know is likewise a warning when the catalog is stale (as CA101 reports the
      service's actions), naming the catalog's date and the refresh command.
    - a service key (`connect:InstanceId`) that none of the statement's actions supports
      (warning): those requests never carry it. When the catalog lists the key for its service
      but attaches it to no action at all (`aws-marketplace:ProductId`), it cannot say which
      requests carry the key: a note says so, and nothing is claimed about the condition.
    - a per-action global key (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) that
      none of the statement's actions supports. The key is then missing from every request, so
      the condition is a constant: a positive operator (`StringEquals`, `ForAnyValue:...`, `Null`
      with `"false"`) is never true and the statement grants or denies nothing (error); a
      negated operator, `...IfExists`, `ForAllValues:` or `Null` with `"true"` is always true and
      the condition restricts nothing (warning).

    A wildcard action supports a key when any action it stands for does. Statements with
    NotAction, unknown actions, and keys or actions from unresolved template values are not
    judged on support. Trust policies are left to the trust-policy rules (their keys include
    any identity provider's, such as `token.actions.githubusercontent.com:sub`).

    ## Why it matters
    IAM accepts any key name: a misspelt or unsupported key silently makes the condition
    false (the permission is never granted, the guardrail never fires) or true (the
    restriction you wrote is not there). Amazon Connect's own documentation has named
    `connect:ResourceTag/...`, which is not a key.

    ## Example
    ```json
    {
      "Effect": "Allow",
      "Action": "connect:DescribeUser",
      "Resource": "*",
      "Condition": {"StringEquals": {"connect:ResourceTag/Team": "Billing"}}
    }
    ```

    ## Fix
    Use the key the suggestion names (`aws:ResourceTag/Team`), or move the condition to a
    statement whose actions support the key (the Service Authorization Reference lists each
    action's keys; `connect-audit catalog connect:DescribeUser` prints them).
    """

    id = "CA106"
    name = "unsupported-condition-key"
    short_description = "A condition key does not exist or no action of its statement supports it"
    level = "warning"

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            actions = known_statement_actions(st, catalog)
            for op, key, value, path in st.conditions():
                if not isinstance(key, str) or has_holes(key) or has_holes(op):
                    continue
                typ = condition_key_type(catalog, key)
                if typ is None:
                    yield self._unknown(policy, key, path, catalog)
                elif actions is not None:
                    finding = self._unsupported(policy, st, op, key, value, path, actions, catalog)
                    if finding is not None:
                        yield finding

    def _unknown(self, policy: Policy, key: str, path: Path, catalog: Catalog) -> Finding:
        better = _suggest_key(key, catalog)
        prefix = key.partition(":")[0].strip()
        retired = retired_condition_key(key)
        level = "error"
        if better is not None and better.lower() == key.strip().lower():
            message = f"Condition key {key!r} has stray blanks, so it matches no key."
        elif prefix.lower() == "aws" or ":" not in key:
            message = f"Condition key {key} does not exist: it is not a global key."
        elif retired is not None and better:
            message = f"Condition key {key} does not exist: AWS documentation names it, but the key is {better}."
        else:
            # A key newer than the catalog looks unknown: say which catalog answered, and
            # unless the key looks like a misspelling, how to refresh it.
            known = catalog.has_service(prefix)
            age = catalog_age(catalog, prefix if known else "connect", self.options,
                              refresh_for=prefix if known else None)
            where = f"a key of {prefix}" if known else f"a key of any service ({prefix} is no service prefix)"
            message = f"Condition key {key} does not exist: it is not {where} in {age.named if better else age.fresh}."
            if not better and not known and age.stale and not _prefix_has_keys(catalog, prefix):
                # As CA101 says of the action: an unknown service may be newer than the catalog.
                message = (f"Condition key {key} is no key of any service in {age.too_old} ({prefix} is no "
                           f"service prefix there), so it may be a newer service's key; `{age.refresh}` "
                           f"refreshes the catalog.")
                level = "warning"
                return self.finding(policy, path, message, level=level, at_key=True,
                                    suggestion=f"run `{age.refresh}`; if `{prefix}` is still unknown, check the "
                                               f"service's condition keys")
            if not better and known and age.stale:
                level = "warning"
        return self.finding(policy, path, message, suggestion=f"use {better}" if better else None,
                            level=level, at_key=True)

    def _unsupported(self, policy: Policy, st: Statement, op: str, key: str, value: Any, path: Path,
                     actions: list[Action], catalog: Catalog) -> Finding | None:
        low = key.lower()
        prefix = low.partition(":")[0]
        tag_key = any(low.startswith(p.lower()) for p in ACTION_SCOPED_GLOBAL_PREFIXES)
        if prefix == "aws" and not tag_key:
            return None  # every request carries (or may carry) the other global keys
        if cross_service_key_type(key):
            return None
        if any(key_matches(k, key) for a in actions for k in a.condition_keys):
            return None
        if not tag_key and not _key_of_any_action(catalog, prefix, key):
            # The catalog lists the key for its service but for no action (aws-marketplace:ProductId):
            # it cannot say which requests carry it, so it is no ground for "never true".
            message = (f"The catalog lists {key} as a key of {prefix} but names no action that supports it, "
                       f"so it does not say whether these requests ({_action_names(st)}) carry it.")
            return self.finding(policy, path, message, level="note", at_key=True,
                                suggestion="check the service's documentation for the actions that support the key")
        level, effect = _constant_effect(op, value, st)
        if not tag_key:
            # Service keys: the catalog's per-action key lists are less complete than its tag
            # keys, so a constant condition is a risk to look at rather than a certainty.
            level = "warning"
        message = f"No action of this statement ({_action_names(st)}) supports {key}, so {effect}."
        suggestion = f"remove the {key} condition, or move it to a statement whose actions support it"
        return self.finding(policy, path, message, suggestion=suggestion, level=level, at_key=True)


def _prefix_has_keys(catalog: Catalog, prefix: str) -> bool:
    """Whether some service lists keys under `prefix` although it is no service (`saml:aud` in sts)."""
    low = prefix.lower()
    return any(name.partition(":")[0].lower() == low
               for name in (*_foreign_keys(catalog), *CROSS_SERVICE_KEYS))


def _key_of_any_action(catalog: Catalog, prefix: str, key: str) -> bool:
    """Whether any action of service `prefix` lists `key` (True when the service is unknown)."""
    def compute() -> bool:
        svc = catalog.service(prefix)
        return svc is None or any(key_matches(k, key) for a in svc.actions.values() for k in a.condition_keys)

    return catalog.memo.get(("CA106.key_of_any_action", prefix, key.lower()), compute)


def _action_names(st: Statement) -> str:
    return summarise([str(v).strip() for v, _ in st.actions], 3, last=", ")


def _constant_effect(op: str, value: Any, st: Statement) -> tuple[str, str]:
    """(level, what happens) when a condition's key is never in the request context."""
    verb = "grants" if st.is_allow else "denies"
    parsed = parse_operator(op)
    if parsed is None:
        return "warning", "the condition compares a key these requests never carry"
    truth = parsed.when_key_absent()
    if truth is None:  # Null: true when it tests for absence
        values = {str(v).strip().lower() for v, _ in value_items(value)}
        truth = True if values == {"true"} else False if values == {"false"} else None
    if truth is False:
        return "error", f"the condition is never true and the statement {verb} nothing"
    if truth is True:
        if st.is_allow:
            return "warning", "the condition is always true and restricts nothing"
        return "warning", "the condition is always true and the Deny applies to every request"
    return "warning", "the condition compares a key these requests never carry"


def _suggest_key(key: str, catalog: Catalog) -> str | None:
    """The real key a nonexistent one most likely means."""
    clean = key.strip()
    if clean != key and condition_key_type(catalog, clean):
        return clean
    retired = retired_condition_key(clean)
    if retired is not None and retired.replacement:
        return _with_tail(retired.replacement, clean)
    prefix, _, name = clean.partition(":")
    for low, proper in _TAG_KEY_NAMES.items():
        if prefix.lower() != "aws" and name.lower().startswith(low):
            return "aws:" + proper + name[len(low):]
    svc = catalog.service(prefix) if prefix else None
    if svc is None and prefix.lower() != "aws":
        # A misspelt service prefix (`conect:InstanceId`): the same key in the closest service.
        close = closest(prefix, catalog.service_prefixes(), cutoff=0.8)
        if close and condition_key_type(catalog, f"{close[0]}:{name}"):
            svc = catalog.service(close[0])
            for real in svc.conditions if svc else ():
                if key_matches(real, f"{close[0]}:{name}"):
                    return _with_tail(real, clean)
    candidates = list(GLOBAL_CONDITION_KEYS) + (list(svc.conditions) if svc else [])
    heads: dict[str, str] = {}
    for c in candidates:
        head = c.split("${", 1)[0]
        heads.setdefault(head.lower(), head)
    before, slash, _ = clean.partition("/")
    probe = (before + "/").lower() if slash else clean.lower()
    match = closest(probe, list(heads), cutoff=0.75)
    if not match:
        return None
    head = heads[match[0]]
    if head.endswith("/"):
        return _with_tail(head + "${TagKey}", clean) if slash else head + "<name>"
    return head


def _with_tail(template: str, written: str) -> str:
    """`aws:ResourceTag/${TagKey}` with the tag key the written key had (`.../Team`)."""
    head = template.split("${", 1)[0]
    if head.endswith("/") and "/" in written:
        return head + written.split("/", 1)[1]
    return template
