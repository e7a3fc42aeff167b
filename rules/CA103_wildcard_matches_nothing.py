"""CA103: an action wildcard that matches no action of its service."""

from __future__ import annotations

import re
from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.actions import has_wildcard, matching_prefixes, without_blanks, written_actions
from auditor.policy.model import Path, Policy
from auditor.policy.staleness import catalog_age
from auditor.policy.suggest import closest_by_edits
from auditor.policy.values import glob_regex
from auditor.rule import Finding, Rule

_WILD = re.compile(r"([*?])")


class WildcardMatchesNothing(Rule):
    """Reports an action wildcard that matches no action of its service.

    ## What it does
    Expands every wildcard entry of `Action` and `NotAction` (`connect:Describe*`,
    `connect:*User*`, `connect:Get?ser`) against the catalog and reports one that matches no
    action, with the nearest wildcard that does (`connect:Descrbe*` -> `connect:Describe*`). A
    wildcard that matches only once stray whitespace is removed is reported too. An unknown
    service is CA101's business; values a template could not resolve are skipped. When the
    catalog is older than `stale_after_days` (option, default 90) the finding is a warning:
    the actions meant may be newer than the catalog.

    ## Why it matters
    A wildcard that matches nothing grants nothing, and in a `Deny` statement (a guardrail
    against, say, `connect:Delete*`) a typo leaves every action it was meant to block allowed.
    Nothing warns at deploy time: IAM accepts any wildcard.

    ## Example
    ```json
    { "Effect": "Deny", "Action": "connect:Delte*", "Resource": "*" }
    ```

    ## Fix
    Correct the wildcard (`connect:Delete*`); `connect-audit catalog 'connect:Delete*'` shows
    what a wildcard expands to.
    """

    id = "CA103"
    name = "wildcard-matches-nothing"
    short_description = "An action wildcard matches no action"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            for _element, value, path in written_actions(st):
                if has_wildcard(value):
                    finding = self._check_one(policy, path, value, catalog)
                    if finding is not None:
                        yield finding

    def _check_one(self, policy: Policy, path: Path, value: str, catalog: Catalog) -> Finding | None:
        clean = without_blanks(value)
        prefix, sep, name = clean.partition(":")
        if clean == "*" or not sep or not name:
            return None
        prefixes = matching_prefixes(prefix, catalog)
        if not prefixes:
            return None  # no such service: CA101
        names = [a for p in prefixes for a in (catalog.service(p).actions if catalog.service(p) else {})]
        if catalog.expand(clean).actions:
            if clean == value:
                return None
            return self.finding(
                policy, path,
                f'"{value}" contains whitespace: IAM matches it as written, so it matches no action.',
                suggestion=f'write "{clean}"',
            )
        fix = _nearest_glob(name, names)
        shown = value.strip()
        service = prefixes[0] if len(prefixes) == 1 and not has_wildcard(prefix) else None
        of = f"`{service}`" if service else f"any service `{prefix}` matches"
        age = catalog_age(catalog, prefixes[0], self.options, refresh_for=prefixes[0] if len(prefixes) == 1 else None)
        hint = age.refresh
        suggestion = None
        if fix:
            count = len(catalog.expand(f"{prefix}:{fix}").actions)
            suggestion = f"use `{prefix}:{fix}` ({count} action{'s' if count != 1 else ''})"
        if age.stale:
            message = (f"`{shown}` matches no action of {of} in {age.too_old}, so the actions meant may be "
                       f"newer; `{hint}` refreshes the catalog.")
            suggestion = suggestion or (f"run `{hint}`; if it still matches nothing, list the actions with "
                                        f"`connect-audit catalog {service or prefixes[0]}`")
            return self.finding(policy, path, message, suggestion=suggestion, level="warning")
        message = f"`{shown}` matches no action of {of} in {age.fresh}."
        return self.finding(policy, path, message,
                            suggestion=suggestion or f"list the service's actions with `connect-audit catalog {service or prefixes[0]}`")


def _nearest_glob(pattern: str, names: list[str]) -> str | None:
    """The wildcard nearest to `pattern` that matches some of `names`: each literal piece that
    occurs in no name at its place (a prefix for the first piece, a suffix for the last, any
    substring between) replaced by the piece of a real name fewest typing slips away."""
    pieces = _WILD.split(pattern)  # literal, wildcard, literal, ...
    last = len(pieces) - 1
    choices: dict[int, str] = {}
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if not piece:
            continue
        where = "start" if i == 0 else "end" if i == last else "inside"
        cands = _candidates(piece, names, where)
        if piece.lower() in {c.lower() for c in cands}:
            continue  # this piece is fine where it stands
        best = closest_by_edits(piece, cands)
        if best is None:
            return None  # a piece no real name resembles: nothing sensible to offer
        choices[i] = best
    if not choices:
        return None
    trial = "".join(choices.get(i, p) for i, p in enumerate(pieces))
    rx = glob_regex(trial, case_insensitive=True)
    return trial if any(rx.fullmatch(n) for n in names) else None


def _candidates(piece: str, names: list[str], where: str) -> set[str]:
    n = len(piece)
    word_start = piece[:1].isupper()
    lengths = range(max(1, n - 2), n + 3)
    out: set[str] = set()
    for name in names:
        for k in lengths:
            if k > len(name):
                break
            if where == "start":
                out.add(name[:k])
            elif where == "end":
                out.add(name[-k:])
            else:
                # A piece that starts a word (`*User*`) is compared with pieces that do.
                starts = [j for j in range(len(name) - k + 1) if not word_start or name[j].isupper()]
                out.update(name[j : j + k] for j in starts)
    return out
