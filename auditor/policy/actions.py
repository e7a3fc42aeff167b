"""What the action strings of a statement mean to the catalog, shared by the rules.

Everything about an Action or NotAction entry is answered here: the literal entries a rule
may judge (`written_actions`), the catalog actions an entry names (`resolve_action`), the
services a prefix glob matches (`matching_prefixes`), and whether a name is allowed or left out
by a NotAction (`statements_allow_name`, `not_action_excludes`). Template holes are never
judged: an entry with a hole is unresolved, and a NotAction with one excludes "unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from auditor.catalog import Action, Catalog
from auditor.policy.model import Path, Statement
from auditor.policy.values import glob_regex, has_holes, is_wholly_unresolved

ACTION_ELEMENTS = ("Action", "NotAction")
_BLANKS = re.compile(r"\s+")
_WILDCARD = re.compile(r"[*?]")


def is_literal_star(value: Any) -> bool:
    """`"*"` as written (an action or a resource), never a template hole that might resolve to
    anything."""
    return isinstance(value, str) and not has_holes(value) and value.strip() == "*"


def has_wildcard(text: str) -> bool:
    """`*` or `?` anywhere in an action (or prefix) as written."""
    return _WILDCARD.search(text) is not None


def without_blanks(value: str) -> str:
    """The action with every blank removed (`"wisdom:QueryAssistant "`): what it was meant to
    be; IAM itself compares the name as written."""
    return _BLANKS.sub("", value)


def written_actions(st: Statement, elements: Iterable[str] = ACTION_ELEMENTS) -> Iterator[tuple[str, str, Path]]:
    """(element, value, path) for every entry of the statement's Action and NotAction that is a
    string without template holes: the entries whose spelling a rule can judge."""
    for element in elements:
        for value, path in st.strings(element):
            if not has_holes(value):
                yield element, value, path


def matching_prefixes(prefix: str, catalog: Catalog) -> list[str]:
    """The catalog's service prefixes that an action's prefix names (a glob such as `conn*`
    matches several, case-insensitively; a plain prefix one or none)."""
    if has_wildcard(prefix):
        rx = glob_regex(prefix, case_insensitive=True)
        return [p for p in catalog.service_prefixes() if rx.fullmatch(p)]
    return [prefix.lower()] if catalog.has_service(prefix) else []


@dataclass
class ResolvedAction:
    """One entry of an Action (or NotAction) element.

    `actions` are the catalog actions it names (one, or many for a wildcard); `unresolved` is
    True when a template hole makes it unknowable, in which case rules stay silent about it.
    """

    value: str
    path: Path
    actions: list[Action] = field(default_factory=list)
    unresolved: bool = False
    service_known: bool = True
    is_wildcard: bool = False

    @property
    def is_star(self) -> bool:
        return is_literal_star(self.value)


def resolve_action(value: str, path: Path, catalog: Catalog) -> ResolvedAction:
    if has_holes(value):
        return ResolvedAction(value, path, unresolved=True)
    # Every rule resolves the same action strings, and trees repeat them.
    actions, service_known, is_wildcard = catalog.memo.get(("action", str(value)), lambda: _resolve(value, catalog))
    return ResolvedAction(value, path, list(actions), service_known=service_known, is_wildcard=is_wildcard)


def _resolve(value: str, catalog: Catalog) -> tuple[tuple[Action, ...], bool, bool]:
    text = str(value).strip()
    if text == "*" or has_wildcard(text):
        res = catalog.expand(text)
        return tuple(res.actions), res.service_known, True
    prefix = text.partition(":")[0]
    act = catalog.action(text)
    return ((act,) if act else ()), catalog.has_service(prefix), False


def statement_actions(st: Statement, catalog: Catalog, element: str = "Action") -> list[ResolvedAction]:
    return [resolve_action(v, p, catalog) for v, p in st.strings(element)]


def known_statement_actions(st: Statement, catalog: Catalog) -> list[Action] | None:
    """Every catalog action the statement's Action element names, or None when some entry is
    unresolved or unknown (or the statement uses NotAction): what it grants is then not known."""
    if "Action" not in st.data:
        return None
    out: list[Action] = []
    for entry in statement_actions(st, catalog):
        if entry.unresolved or not entry.actions:
            return None
        out.extend(entry.actions)
    return out or None


def unresolved_action_element(st: Statement) -> str | None:
    """`Action` or `NotAction` when nothing of that element is known: it is one unresolved
    template value (a remote module's `var.actions`), or a list of nothing but such values.
    Else None."""
    for element in ACTION_ELEMENTS:
        value = st.data.get(element)
        entries = value if isinstance(value, list) else [value]
        if element in st.data and entries and all(is_wholly_unresolved(v) for v in entries):
            return element
    return None


def not_action_excludes(st: Statement, full_name: str) -> bool | None:
    """Whether the statement's NotAction names `full_name` (exactly or by a glob, as IAM
    matches, case-insensitively): True when a literal entry does, None when it does not but a
    template hole (or a value that is no string) might, else False."""
    unknown = False
    for value, _ in st.values("NotAction"):
        if not isinstance(value, str) or has_holes(value):
            unknown = True
        elif _names(value, full_name):
            return True
    return None if unknown else False


def statements_allow_name(statements: Iterable[Statement], full_name: str) -> bool:
    """Whether some Allow statement names `svc:Action` in its Action element (an exact name or
    a glob such as `ds:*`, case-insensitively, as IAM matches) or leaves it out of its NotAction
    element. Needs no catalog, so it also answers for names the catalog does not know; a
    template hole counts as naming it, so callers stay silent about what they cannot see."""
    return allowed_name_test(statements)(full_name)


def allowed_name_test(statements: Iterable[Statement]) -> Callable[[str], bool]:
    """`statements_allow_name` for many names: the statements are read once (exact names in a
    set, globs compiled once), then each name is a set lookup and a few regex matches."""
    unknown = False
    exact: set[str] = set()
    globs: list[re.Pattern[str]] = []
    not_action: list[Statement] = []
    for st in statements:
        if not st.is_allow:
            continue
        if "Action" in st.data:
            for v, _ in st.values("Action"):
                if not isinstance(v, str):
                    continue
                if has_holes(v):
                    unknown = True
                elif "*" in v or "?" in v:
                    globs.append(glob_regex(v.strip(), case_insensitive=True))
                else:
                    exact.add(v.strip().lower())
        elif "NotAction" in st.data:
            not_action.append(st)

    def test(full_name: str) -> bool:
        name = full_name.strip()
        return (unknown or name.lower() in exact or any(r.fullmatch(name) for r in globs)
                or any(not_action_excludes(st, name) is not True for st in not_action))
    return test


def _names(pattern: str, name: str) -> bool:
    pattern = pattern.strip()
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == name.lower()
    return glob_regex(pattern, case_insensitive=True).fullmatch(name) is not None
