"""CA102: an action that its (known) service does not have."""

from __future__ import annotations

import difflib
from typing import Iterable

from auditor.catalog import Catalog
from auditor.connect.knowledge import Retired, retired
from auditor.policy.actions import has_wildcard, without_blanks, written_actions
from auditor.policy.model import Path, Policy, Statement
from auditor.policy.staleness import catalog_age
from auditor.policy.suggest import closest, connect_family, family_first
from auditor.policy.values import value_key
from auditor.rule import Finding, Rule

# A same-service spelling this close is taken over an action of the same name in a service
# outside the Connect family (`connect:DescribeUsr` means DescribeUser, not some other service).
_CLOSE_ENOUGH = 0.85


class UnknownAction(Rule):
    """Reports an action that its service does not have.

    ## What it does
    For every entry of `Action` and `NotAction` whose service is known (CA101 reports the
    others) and that is not a wildcard (CA103), checks that the action exists. IAM action names
    are case-insensitive, so `connect:describeinstance` is fine. It tells apart:

    - stray whitespace: `"wisdom:QueryAssistant "` is an action once the blank is removed, but
      IAM compares the name as written and matches nothing;
    - a retired, renamed or misdocumented action that the Connect documentation still names,
      with what replaces it (`connect:DestroyInstance` -> `connect:DeleteInstance`); a renamed
      action that IAM still honours (`connect:GetFederationTokens`) is a warning;
    - an action of another service (`connect:CreateProfile` -> `profile:CreateProfile`),
      preferring Amazon Connect's own services;
    - the closest action of the same service (`connect:DescribeInstanse`).

    When the service is known but the action is not, the message names the catalog that
    answered and its date, and the command that refreshes it. If that catalog is older than
    `stale_after_days` (option, default 90) the action may simply be newer than the catalog,
    so the finding is a warning instead of an error.

    ## Why it matters
    An action name IAM does not know grants nothing: the agents, supervisors or integrations
    the statement was written for get `AccessDenied`, and a `Deny` on a misspelt action is a
    guardrail that does not exist. Amazon Connect's documentation has carried several such
    names (`connect:GetFederationTokens`, `connect:ModifyInstance`, `"wisdom:QueryAssistant "`)
    that are copied into real policies.

    ## Example
    ```json
    { "Effect": "Allow",
      "Action": ["wisdom:QueryAssistant ", "connect:CreateProfile"],
      "Resource": "*" }
    ```

    ## Fix
    Use the name the finding suggests (`wisdom:QueryAssistant`, `profile:CreateProfile`). If
    the action is new, refresh the catalog with `connect-audit catalog update`.
    """

    id = "CA102"
    name = "unknown-action"
    short_description = "An action does not exist in its service"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            for element, value, path in written_actions(st):
                if has_wildcard(value):
                    continue  # CA103's
                finding = self._check_one(policy, st, element, path, value, catalog)
                if finding is not None:
                    yield finding

    # --- one action ------------------------------------------------------------------------
    def _check_one(self, policy: Policy, st: Statement, element: str, path: Path, value: str,
                   catalog: Catalog) -> Finding | None:
        clean = without_blanks(value)
        prefix, sep, name = clean.partition(":")
        if not sep or not name or not catalog.has_service(prefix):
            return None  # no prefix or an unknown service: CA101
        action = catalog.action(clean)
        if action is not None:
            if clean == value:
                return None
            return self.finding(
                policy, path,
                f"{_quoted(value)} has {_blank_kind(value)}: IAM compares action names as written, "
                f"so it matches no action and `{clean}` is not {_effect_word(st, element)}.",
                suggestion=f'write "{clean}"',
            )
        entry = retired(clean)
        if entry is not None:
            return self._retired(policy, path, value, clean, entry)
        return self._unknown(policy, path, value, prefix.lower(), name, catalog)

    def _retired(self, policy: Policy, path: Path, value: str, clean: str, entry: Retired) -> Finding:
        kind, repl, note = entry.kind, entry.replacement, entry.note
        level = None
        if kind == "renamed" and repl:
            message = f"`{clean}` is the former name of `{repl}`; IAM still honours it, but only the new name is documented."
            level = "warning"
        elif kind == "misspelt" and repl:
            message = f"`{clean}` is a misspelling of `{repl}` and matches no action."
        elif kind == "misnamed" and repl:
            message = f"`{clean}` is not an action; the operation it stands for is `{repl}`."
        else:
            message = f"`{clean}` is a retired action that IAM no longer knows, so it matches nothing."
        fix = f"use `{repl}`" if repl else "remove it"
        return self.finding(policy, path, message, suggestion=f"{fix}. {note}".strip() if note else fix, level=level)

    def _unknown(self, policy: Policy, path: Path, value: str, prefix: str, name: str, catalog: Catalog) -> Finding:
        others, family_other, near, ratio = _near(prefix, name, catalog)

        shown = value.strip()
        fix: str | None
        if family_other or (others and ratio < _CLOSE_ENOUGH):
            other = family_other or others[0]
            act = catalog.action(f"{other}:{name}")
            n = len(others) - 1
            also = f" (and of {n} other service{'s' if n > 1 else ''})" if n else ""
            detail = f"; `{act.name if act else name}` is an action of `{other}`{also}"
            fix = f"use `{act.full_name if act else other + ':' + name}`"
        elif near:
            detail = f"; the closest is `{prefix}:{near[0]}`"
            fix = f"use `{prefix}:{near[0]}`"
        else:
            detail, fix = "", None

        age = catalog_age(catalog, prefix, self.options, refresh_for=prefix)
        hint = age.refresh
        if age.stale:
            message = (f"`{shown}` is not an action of `{prefix}` in {age.too_old}, so it may be a newer "
                       f"action{detail}; `{hint}` refreshes the catalog.")
            suggestion = (f"{fix}; if `{shown}` is a new action, run `{hint}`" if fix else
                          f"run `{hint}`; if it is still unknown, check the name with `connect-audit catalog {prefix}`")
            return self.finding(policy, path, message, suggestion=suggestion, level="warning")
        message = f"`{shown}` is not an action of `{prefix}` in {age.fresh}{detail}."
        suggestion = fix or f"check the name with `connect-audit catalog {prefix}`"
        return self.finding(policy, path, message, suggestion=suggestion)


# --- helpers ---------------------------------------------------------------------------------
def _near(prefix: str, name: str, catalog: Catalog) -> tuple[list[str], str | None, list[str], float]:
    """(services that have the action, the Connect-family one, the closest own action, its
    similarity), once per catalog and name: difflib over a service's actions is slow."""
    def compute() -> tuple[list[str], str | None, list[str], float]:
        others = family_first(p for p in catalog.services_with_action(name) if p != prefix)
        family_other = next((p for p in others if p in connect_family()), None)
        near: list[str] = []
        ratio = 0.0
        if family_other is None:  # else the spelling does not matter: the other service wins
            svc = catalog.service(prefix)
            near = closest(name, list(svc.actions) if svc else [], cutoff=0.6)
            ratio = difflib.SequenceMatcher(None, name.lower(), near[0].lower()).ratio() if near else 0.0
        return others, family_other, near, ratio

    hit = catalog.memo.get(("CA102.near", value_key(prefix), value_key(name)), compute)
    return list(hit[0]), hit[1], list(hit[2]), hit[3]


def _quoted(value: str) -> str:
    return '"' + value.replace("\t", "\\t").replace("\n", "\\n") + '"'


def _blank_kind(value: str) -> str:
    kinds = []
    if value[:1].isspace():
        kinds.append("leading")
    if value[-1:].isspace():
        kinds.append("trailing")
    if without_blanks(value) != value.strip():
        kinds.append("inner")
    return " and ".join(kinds) + " whitespace"


def _effect_word(st: Statement, element: str) -> str:
    """What the statement fails to do with an action that matches nothing."""
    if element == "NotAction":
        return "excluded"
    return "denied" if st.is_deny else "granted"
