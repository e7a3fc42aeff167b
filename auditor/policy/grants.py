"""How far an Allow statement reaches: wildcard actions, resources that name every resource of
their type, and what a NotAction leaves granted.

Template holes are never wildcards here: an unresolved value is "unknown", and every helper
answers so that an unknown value produces no finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from auditor.catalog import Action, Catalog, ResourceType
from auditor.catalog.patterns import arn_matches_format
from auditor.policy.actions import is_literal_star, not_action_excludes, statement_actions
from auditor.policy.arn import first_wildcard_in_resource
from auditor.policy.model import Path, Statement
from auditor.policy.values import has_holes
from auditor.policy.wording import summarise

WRITE_LEVELS = frozenset({"Write", "Permissions management"})
__all__ = ["WRITE_LEVELS", "WideGrant", "covers_every_resource", "grants_everywhere", "is_literal_star",
           "is_service_wildcard", "types_to_name", "unbounded_resource", "wide_grants"]


def is_service_wildcard(action: Any) -> bool:
    """`*`, `*:*`, `connect:*` (or `conn*:*`): an Action entry that names every action of one or
    more services, rather than a family of actions (`connect:Describe*`)."""
    if not isinstance(action, str) or has_holes(action):
        return False
    text = action.strip()
    if text == "*":
        return True
    prefix, sep, name = text.partition(":")
    return bool(sep and prefix and name) and set(name) == {"*"}


# --- resources ---------------------------------------------------------------------------------
def covers_every_resource(value: Any, arn_formats: Iterable[str]) -> bool:
    """Whether a Resource value names every resource of its type: `"*"`, or an ARN whose
    wildcard starts at (or before) the first id of a resource type it can be
    (`instance/*`, `instance/*/queue/*`, `role/*`, `arn:aws:s3:::*`).

    `arn_formats` are the catalog formats to judge against (e.g. an action's resource types),
    since where the first id sits differs (`instance/${InstanceId}`, `${BucketName}/...`). A template hole before the
    wildcard makes the value unknown (False): `${aws_connect_instance.main.arn}/*` is one
    instance, whatever it resolves to.
    """
    if not isinstance(value, str):
        return False
    if is_literal_star(value):
        return True
    at = first_wildcard_in_resource(value)
    if at is None or _names_part_of_id(value):
        return False
    for fmt in arn_formats:
        if not arn_matches_format(value, fmt):
            continue
        parts = fmt.split(":", 5)
        if len(parts) < 6:
            continue
        id_at = parts[5].find("${")
        if id_at < 0 or at <= id_at:
            return True
    return False


def _names_part_of_id(value: str) -> bool:
    """Whether the id where an ARN's first wildcard sits also has a literal part
    (`function:*DeepRacer*`, `role/*-admin`): a name pattern, not every resource."""
    resource = value.split(":", 5)[5] if value.count(":") >= 5 else ""
    at = next((i for i, c in enumerate(resource) if c in "*?"), None)
    if at is None:
        return False
    end = min([j for j in (resource.find("/", at), resource.find(":", at)) if j >= 0], default=len(resource))
    return any(c not in "*?" for c in resource[at:end])


def _type_head_agrees(head: str, fmt: str) -> bool:
    fmt_head = fmt.split(":", 5)[-1].split("${", 1)[0].lower()
    return head.startswith(fmt_head) or fmt_head.startswith(head)


def grants_everywhere(action: Action, value: Any, catalog: Catalog,
                      types: Iterable[str] | None = None) -> bool:
    """Whether Resource `value` grants `action` on every resource it acts on: `"*"`, or an ARN
    of one of its resource types with a wildcard in place of the first id (and no literal part
    in that id: `function:*DeepRacer*` is a name pattern). `types` (resource type names) limits
    the judgement to the types that matter (the instances ssm:SendCommand runs on, not its
    documents or output bucket). An ARN the action cannot apply to grants it nothing (CA105
    says so)."""
    if is_literal_star(value):
        return True
    if not isinstance(value, str) or action.star_only:
        return False
    wanted = {t.lower() for t in types} if types is not None else None
    formats = [rt.arn_format for rt, _ in action.resource_types
               if rt.arn_format and (wanted is None or rt.name.lower() in wanted)]
    if wanted is not None:
        # A `*` may stretch over a type's own words (`document/*` could match an odd
        # `managed-instance/...`): here the resource type written before it decides.
        head = re.split(r"[*?]", value.strip().split(":", 5)[-1], maxsplit=1)[0].lower()
        formats = [f for f in formats if _type_head_agrees(head, f)]
    return catalog.action_accepts_arn(action, value) and covers_every_resource(value, formats)


# --- listed actions granted without limits --------------------------------------------------------
@dataclass
class WideGrant:
    """Actions from a watch list (sensitive, privilege escalation) that one Action entry (or the
    statement's NotAction) grants on every resource, each with how its resource is unbounded."""

    value: str  # the Action entry as written, or "NotAction"
    path: Path
    at_key: bool
    actions: list[tuple[Action, str]]  # (action, "'*'" / the wildcard ARN / NotResource wording)

    @property
    def is_wildcard(self) -> bool:
        return self.at_key or any(c in self.value for c in "*?")

    def describe(self, noun: str, how: str) -> str:
        """`'connect:*' grants 3 sensitive Amazon Connect actions on '*' with no Condition: a, b
        and c.` for a wildcard entry or a NotAction (`noun` names the watch list)."""
        names = [a.full_name for a, _ in self.actions]
        what = "Allow with NotAction" if self.at_key else f"'{self.value}'"
        count = f"{len(names)} {noun}{'s' if len(names) > 1 else ''}"
        return f"{what} grants {count} on {self.actions[0][1]} {how}: {summarise(names)}."


def unbounded_resource(st: Statement, action: Action, catalog: Catalog,
                       types: Iterable[str] | None = None) -> str | None:
    """How the statement grants `action` on every resource (`'*'`, the wildcard ARN, or its
    NotResource), or None when its resources limit it or are unknown. `types` as for
    `grants_everywhere`."""
    if "NotResource" in st.data:
        # Unless NotResource itself leaves out every resource the action acts on.
        if any(grants_everywhere(action, v, catalog, types) for v, _ in st.strings("NotResource")):
            return None
        return "every resource but those in NotResource"
    for value, _ in st.resources:
        if grants_everywhere(action, value, catalog, types):
            return "'*'" if is_literal_star(value) else str(value)
    return None


def _unbounded(st: Statement, actions: list[Action], catalog: Catalog,
               targets: dict[str, tuple[str, ...]] | None = None) -> list[tuple[Action, str]]:
    found = []
    for action in actions:
        where = unbounded_resource(st, action, catalog, (targets or {}).get(action.full_name.lower()))
        if where:
            found.append((action, where))
    return found


def wide_grants(
    st: Statement,
    catalog: Catalog,
    watch: Iterable[str],
    alias: Callable[[str], str | None] | None = None,
    targets: dict[str, tuple[str, ...]] | None = None,
) -> list[WideGrant]:
    """For an Allow statement, the actions of `watch` (catalog names) that each Action entry
    grants on every resource, wildcards expanded; with NotAction, those it leaves granted.
    Each entry is judged on its own: `connect:*` beside `connect:DeleteInstance` lists it too.
    `alias` maps a name the catalog lacks to the action it still means (a renamed action that
    keeps working). `targets` maps an action (lower case) to the resource types whose every
    resource counts (see `grants_everywhere`). Template holes in actions or NotAction give nothing."""
    # Watch-list order (most telling first) for the actions a wildcard covers.
    rank: dict[str, int] = {}
    for name in watch:
        rank.setdefault(name.lower(), len(rank))
    out: list[WideGrant] = []
    if not st.is_allow:
        return out
    if "NotAction" in st.data and "Action" not in st.data:
        left = [a for a in map(catalog.action, rank) if a is not None and not_action_excludes(st, a.full_name) is False]
        found = _unbounded(st, left, catalog, targets)
        if found:
            out.append(WideGrant("NotAction", st.path + ("NotAction",), True, found))
        return out
    for ra in statement_actions(st, catalog):
        if ra.unresolved:
            continue
        actions = list(ra.actions)
        if not actions and alias is not None:
            real = alias(ra.value)
            action = catalog.action(real) if real else None
            actions = [action] if action else []
        found = _unbounded(st, [a for a in actions if a.full_name.lower() in rank], catalog, targets)
        if found:
            found.sort(key=lambda f: rank[f[0].full_name.lower()])
            out.append(WideGrant(ra.value.strip(), ra.path, False, found))
    return out


def types_to_name(action: Action) -> list[ResourceType]:
    """The resource types a policy should name to grant `action` precisely: every required one;
    when none is required, the optional one the action is about (`object` for s3:GetObject,
    not `accesspointobject`), else the first."""
    types = action.resource_types
    required = [t for t, req in types if req]
    if required or not types:
        return required
    name = action.name.lower()
    about = [t for t, _ in types if t.name.replace("-", "").lower() in name]
    return [max(about, key=lambda t: len(t.name))] if about else [types[0][0]]
