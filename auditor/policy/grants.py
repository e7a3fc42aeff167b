"""How far an Allow statement reaches: wildcard actions, resources that name every resource of
their type, what a NotAction leaves granted, and short summaries for messages.

Template holes are never wildcards here: an unresolved value is "unknown", and every helper
answers so that an unknown value produces no finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from auditor.catalog import Action, Catalog, ResourceType
from auditor.catalog.patterns import arn_matches_format
from auditor.policy.actions import statement_actions
from auditor.policy.model import Path, Statement
from auditor.policy.values import Hole, Text, has_holes

WRITE_LEVELS = frozenset({"Write", "Permissions management"})


def is_literal_star(value: Any) -> bool:
    """`"*"` as written, never a template hole that might resolve to anything."""
    return isinstance(value, str) and not has_holes(value) and value.strip() == "*"


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


def summarise(names: Sequence[str], limit: int = 5) -> str:
    """`a, b and c`, or `a, b, c, d, e and 7 more`."""
    names = list(names)
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


# --- resources ---------------------------------------------------------------------------------
_ANY = object()  # marks a template hole in a tokenised ARN


def _chars(value: str) -> list[Any]:
    """The value as characters, a hole as one `_ANY` token and a policy variable
    (`${aws:username}`) as one opaque string token, so neither splits fields nor counts as a
    wildcard."""
    parts = value.parts if isinstance(value, Text) else (value,)
    out: list[Any] = []
    for part in parts:
        if isinstance(part, Hole):
            out.append(_ANY)
            continue
        pos = 0
        for m in re.finditer(r"\$\{[^}]*\}", part):
            out.extend(part[pos : m.start()])
            out.append(m.group(0))
            pos = m.end()
        out.extend(part[pos:])
    return out


def _resource_field(value: str) -> list[Any] | None:
    """The tokens after the fifth `:` of an ARN, or None if the value is not one."""
    tokens = _chars(value)
    if tokens[:4] != list("arn:"):
        return None
    colons = 0
    for i, t in enumerate(tokens):
        if t == ":":
            colons += 1
            if colons == 5:
                return tokens[i + 1 :]
    return None


def _first_wildcard(tokens: list[Any]) -> int | None:
    """Index of the first `*`/`?`, or None when there is none or a hole comes first (unknown)."""
    for i, t in enumerate(tokens):
        if t is _ANY:
            return None
        if t in ("*", "?"):
            return i
    return None


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
    field = _resource_field(value)
    if field is None:
        return False
    at = _first_wildcard(field)
    if at is None:
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


def grants_everywhere(action: Action, value: Any, catalog: Catalog) -> bool:
    """Whether Resource `value` grants `action` on every resource it acts on: `"*"`, or an ARN
    of one of its resource types with a wildcard in place of the first id. An ARN the action
    cannot apply to grants it nothing (CA105 says so)."""
    if is_literal_star(value):
        return True
    if not isinstance(value, str) or action.star_only:
        return False
    formats = [rt.arn_format for rt, _ in action.resource_types if rt.arn_format]
    return catalog.action_accepts_arn(action, value) and covers_every_resource(value, formats)


# --- NotAction -----------------------------------------------------------------------------------
def not_action_excludes(st: Statement, full_name: str) -> bool | None:
    """Whether the statement's NotAction names `full_name` (globs allowed, case-insensitive);
    None when a template hole leaves it unknown."""
    entries = st.values("NotAction")
    for value, _ in entries:
        if not isinstance(value, str) or has_holes(value):
            return None
    for value, _ in entries:
        if _glob(value.strip()).fullmatch(full_name):
            return True
    return False


def _glob(text: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text), re.I)


# --- suggestions ----------------------------------------------------------------------------------
_VAR = re.compile(r"\$\{([^}]*)\}")


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def arn_context(statements: Iterable[Statement]) -> dict[str, dict[str, str]]:
    """Per ARN service, the partition, region and account (and Connect instance id) that the
    policy's own literal ARNs use, to fill suggested ARNs with the user's real values."""
    out: dict[str, dict[str, str]] = {}
    for st in statements:
        for element in ("Resource", "NotResource"):
            for value, _ in st.strings(element):
                if has_holes(value) or not value.startswith("arn:"):
                    continue
                parts = value.split(":", 5)
                if len(parts) < 6:
                    continue
                known = out.setdefault(parts[2].lower(), {})
                for var, part in (("Partition", parts[1]), ("Region", parts[3]), ("Account", parts[4])):
                    if part and not any(c in part for c in "*?$"):
                        known.setdefault(var, part)
                m = re.match(r"instance/([^/*?$]+)(/|$)", parts[5])
                if m:
                    known.setdefault("InstanceId", m.group(1))
    return out


def example_arn(arn_format: str, known: dict[str, str] | None = None) -> str:
    """A catalog ARN format made concrete for a suggestion: the policy's own partition, region,
    account and instance id where known, else `<region>`, `<account-id>`; the first id of the
    resource part as a `<placeholder>` and any later id as `*`."""
    known = dict(known or {})
    known.setdefault("Partition", "aws")
    known.setdefault("Region", "<region>")
    known.setdefault("Account", "<account-id>")
    parts = arn_format.split(":", 5)
    if len(parts) < 6:
        return _VAR.sub(lambda m: known.get(m.group(1), "*"), arn_format)
    head = ":".join(parts[:5])
    head = _VAR.sub(lambda m: known.get(m.group(1), "*"), head)
    first = True

    def fill(m: re.Match[str]) -> str:
        nonlocal first
        var = m.group(1)
        if var in known:
            first = False
            return known[var]
        if first:
            first = False
            return f"<{_kebab(var)}>"
        return "*"

    return head + ":" + _VAR.sub(fill, parts[5])


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


def unbounded_resource(st: Statement, action: Action, catalog: Catalog) -> str | None:
    """How the statement grants `action` on every resource (`'*'`, the wildcard ARN, or its
    NotResource), or None when its resources limit it or are unknown."""
    if "NotResource" in st.data:
        # Unless NotResource itself leaves out every resource the action acts on.
        if any(grants_everywhere(action, v, catalog) for v, _ in st.strings("NotResource")):
            return None
        return "every resource but those in NotResource"
    for value, _ in st.resources:
        if grants_everywhere(action, value, catalog):
            return "'*'" if is_literal_star(value) else str(value)
    return None


def wide_grants(
    st: Statement,
    catalog: Catalog,
    watch: Iterable[str],
    alias: Callable[[str], str | None] | None = None,
) -> list[WideGrant]:
    """For an Allow statement, the actions of `watch` (catalog names) that each Action entry
    grants on every resource, wildcards expanded; with NotAction, those it leaves granted.
    Each entry is judged on its own: `connect:*` beside `connect:DeleteInstance` lists it too.
    `alias` maps a name the catalog lacks to the action it still means (a renamed action that
    keeps working). Template holes in actions or NotAction give nothing."""
    # Watch-list order (most telling first) for the actions a wildcard covers.
    rank: dict[str, int] = {}
    for name in watch:
        rank.setdefault(name.lower(), len(rank))
    out: list[WideGrant] = []
    if not st.is_allow:
        return out
    if "NotAction" in st.data and "Action" not in st.data:
        found: list[tuple[Action, str]] = []
        for name in rank:
            action = catalog.action(name)
            if action is None or not_action_excludes(st, action.full_name) is not False:
                continue
            where = unbounded_resource(st, action, catalog)
            if where:
                found.append((action, where))
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
        found = []
        for action in actions:
            low = action.full_name.lower()
            if low not in rank:
                continue
            where = unbounded_resource(st, action, catalog)
            if where:
                found.append((action, where))
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
