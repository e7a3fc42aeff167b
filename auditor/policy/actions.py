"""What the action strings of a statement mean to the catalog, shared by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from auditor.catalog import Action, Catalog
from auditor.policy.model import Path, Statement
from auditor.policy.values import Text, glob_regex, has_holes


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
        return self.value.strip() == "*"


def resolve_action(value: str, path: Path, catalog: Catalog) -> ResolvedAction:
    if has_holes(value):
        return ResolvedAction(value, path, unresolved=True)
    text = value.strip() if not isinstance(value, Text) else str(value).strip()
    if text == "*" or any(c in text for c in "*?"):
        res = catalog.expand(text)
        return ResolvedAction(value, path, res.actions, service_known=res.service_known, is_wildcard=True)
    prefix = text.partition(":")[0]
    act = catalog.action(text)
    return ResolvedAction(value, path, [act] if act else [], service_known=catalog.has_service(prefix))


def statement_actions(st: Statement, catalog: Catalog, element: str = "Action") -> list[ResolvedAction]:
    return [resolve_action(v, p, catalog) for v, p in st.strings(element)]


def allowed_actions(st: Statement, catalog: Catalog) -> list[Action]:
    """Every catalog action the statement's Action element names (duplicates removed)."""
    seen: dict[str, Action] = {}
    for ra in statement_actions(st, catalog):
        for a in ra.actions:
            seen.setdefault(a.full_name.lower(), a)
    return list(seen.values())


def policy_allows(policy_statements: list[Statement], catalog: Catalog) -> set[str]:
    """Lower-case full names of every action some Allow statement names (for dependent-action
    checks). NotAction statements allow everything but what they list."""
    out: set[str] = set()
    for st in policy_statements:
        if not st.is_allow:
            continue
        for a in allowed_actions(st, catalog):
            out.add(a.full_name.lower())
    return out


def statements_allow_name(statements: Iterable[Statement], full_name: str) -> bool:
    """Whether some Allow statement names `svc:Action` in its Action element (an exact name or
    a glob such as `ds:*`, case-insensitively, as IAM matches) or leaves it out of its NotAction
    element. Needs no catalog, so it also answers for names the catalog does not know; a
    template hole counts as naming it, so callers stay silent about what they cannot see."""
    name = full_name.strip()
    for st in statements:
        if not st.is_allow:
            continue
        if "Action" in st.data:
            if any(_names(v, name) for v, _ in st.values("Action") if isinstance(v, str)):
                return True
        elif "NotAction" in st.data:
            excluded = [v for v, _ in st.values("NotAction") if isinstance(v, str)]
            if not any(_names(v, name) and not has_holes(v) for v in excluded):
                return True
    return False


def _names(pattern: str, name: str) -> bool:
    if has_holes(pattern):
        return True
    return glob_regex(pattern.strip(), case_insensitive=True).fullmatch(name) is not None
