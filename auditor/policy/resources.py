"""Which of a statement's resources an action can apply to, shared by the rules.

An action applies to a resource entry when the entry can be an ARN of one of the action's
resource types (catalog formats, Connect's nested ARNs matched exactly), when it is `*` (the
only match for actions without resource-level permissions), or when AWS documents the pair as
an exception to the catalog. Values this module cannot judge (template holes without a known
shape, non-ARNs, ARNs of unknown services) apply to everything, so no rule reports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.catalog import Action, Catalog
from auditor.connect.knowledge import is_documented_exception
from auditor.policy.arn import split_arn
from auditor.policy.model import Path, Statement
from auditor.policy.values import glob_regex, is_wholly_unresolved, known_text, value_key


@dataclass
class ResourceEntry:
    """One entry of a Resource element. `any` marks a value that matches every action: `*` (or
    a glob or hole that can be `*`), or a value that cannot be judged (not a string, wholly
    unresolved, not an ARN, an ARN of no known service: CA002/CA104 report those)."""

    value: Any
    path: Path
    any: bool = True
    service: str = ""

    def __str__(self) -> str:
        return str(self.value)


def resource_entry(value: Any, path: Path, catalog: Catalog) -> ResourceEntry:
    entry = ResourceEntry(value, path)
    if not isinstance(value, str) or is_wholly_unresolved(value) or glob_regex(value).fullmatch("*"):
        return entry
    arn = split_arn(known_text(value))
    if arn is None or not catalog.has_service(arn.service):
        return entry
    entry.any = False
    entry.service = arn.service.lower()
    return entry


def resource_entries(st: Statement, catalog: Catalog) -> list[ResourceEntry]:
    return [resource_entry(v, p, catalog) for v, p in st.values("Resource")]


def action_applies(action: Action, entry: ResourceEntry, catalog: Catalog) -> bool:
    if entry.any:
        return True
    key = ("applies", action.service, action.name, value_key(entry.value))
    return catalog.memo.get(key, lambda: _action_applies(action, entry, catalog))


def _action_applies(action: Action, entry: ResourceEntry, catalog: Catalog) -> bool:
    if not catalog.resource_data_complete(action.service):
        return True  # the catalog lost some of this prefix's resource types: cannot judge
    if action.star_only:
        return False
    if not action.resource_types:  # the catalog names types it does not define: do not guess
        return True
    return (catalog.action_accepts_arn(action, entry.value)
            or is_documented_exception(action.full_name, entry.value) is not None)


def statement_can_grant(st: Statement, action: Action, catalog: Catalog,
                        entries: list[ResourceEntry] | None = None) -> bool:
    """Whether some resource of the statement can be one the action acts on (True when the
    statement has no Resource element to compare: NotResource, or a structure error)."""
    if "Resource" not in st.data:
        return True
    entries = resource_entries(st, catalog) if entries is None else entries
    if not entries:
        return True
    return any(action_applies(action, e, catalog) for e in entries)
