"""AWS's machine-readable service reference, converted into the catalog's `Service` form.

AWS publishes an index (https://servicereference.us-east-1.amazonaws.com/) that is a JSON list
of ``{"service": prefix, "url": ...}``, and one JSON document per service::

    {"Name": "connect",
     "Actions": [{"Name": "CreateTestCase",
                  "ActionConditionKeys": ["aws:RequestTag/${TagKey}", ...],
                  "Annotations": {"Properties": {"IsList": false, "IsPermissionManagement": false,
                                                 "IsTaggingOnly": false, "IsWrite": true}},
                  "Resources": [{"Name": "instance"}],
                  "SupportedBy": {...}}, ...],
     "Resources": [{"Name": "instance", "ARNFormats": ["arn:${Partition}:connect:..."],
                    "ConditionKeys": ["aws:ResourceTag/${TagKey}"]}, ...],
     "ConditionKeys": [{"Name": "connect:InstanceId", "Types": ["String"]}, ...],
     "Operations": [...], "Version": "v1.x"}

What the service reference does not carry is taken from the bundled Policy Sentry database
when the action is there (and said so in the source's index):

- whether a resource type is *required* (an action whose row is not in the bundled database
  gets an optional resource: a missing requirement can never be reported on a guess);
- dependent actions;
- descriptions, documentation links and the service's display name.

The access level comes from AWS's annotations: IsPermissionManagement, IsTaggingOnly,
IsWrite, IsList, else Read (in that order).
"""

from __future__ import annotations

import re
from typing import Any

from auditor.catalog.types import Action, ActionResource, ResourceType, Service

DEFAULT_BASE_URL = "https://servicereference.us-east-1.amazonaws.com/"

# The canonical spelling of IAM condition types (as Policy Sentry and the SAR pages use them).
_TYPES = {
    t.lower(): t
    for t in ("String", "ARN", "Bool", "Date", "Numeric", "IPAddress", "Binary", "Null",
              "ArrayOfString", "ArrayOfARN", "ArrayOfBool", "ArrayOfDate", "ArrayOfNumeric", "ArrayOfIPAddress")
}
_TYPES.update({"arn": "ARN", "boolean": "Bool", "long": "Numeric", "integer": "Numeric", "number": "Numeric",
               "ipaddr": "IPAddress", "arrayofarn": "ArrayOfARN", "arrayofboolean": "ArrayOfBool",
               "arrayoflong": "ArrayOfNumeric"})

_PREFIX_RX = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class ReferenceFormatError(ValueError):
    """A document is not of the shape AWS publishes (truncated, an error page, a changed format)."""


# --- validation -----------------------------------------------------------------------------
def _require(cond: bool, msg: str) -> None:
    if not cond:
        raise ReferenceFormatError(msg)


def _str_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    _require(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{what} is not a list of strings")
    return value


def validate_index(data: Any) -> dict[str, str]:
    """The index as {prefix: url}; raises ReferenceFormatError if it is not AWS's index shape."""
    _require(isinstance(data, list), "the index is not a JSON list")
    _require(len(data) > 0, "the index is empty")
    out: dict[str, str] = {}
    for i, entry in enumerate(data):
        _require(isinstance(entry, dict), f"index entry {i} is not an object")
        svc, url = entry.get("service"), entry.get("url")
        _require(isinstance(svc, str) and bool(svc), f"index entry {i} has no \"service\"")
        _require(isinstance(url, str) and bool(url), f"index entry {i} ({svc}) has no \"url\"")
        out[svc.lower()] = url
    return out


def validate_service(data: Any, expected_prefix: str | None = None) -> str:
    """Check a service document's shape; return its prefix (lower case)."""
    _require(isinstance(data, dict), "not a JSON object")
    name = data.get("Name")
    _require(isinstance(name, str) and bool(name), "no \"Name\" (service prefix)")
    prefix = name.lower()
    _require(bool(_PREFIX_RX.match(prefix)), f"\"Name\" {name!r} is not a service prefix")
    if expected_prefix is not None:
        _require(prefix == expected_prefix.lower(), f"the file is for {name!r}, expected {expected_prefix!r}")
    actions = data.get("Actions")
    _require(isinstance(actions, list), "no \"Actions\" list")
    for i, a in enumerate(actions):
        _require(isinstance(a, dict) and isinstance(a.get("Name"), str) and bool(a.get("Name")),
                 f"action {i} has no \"Name\"")
        _str_list(a.get("ActionConditionKeys"), f"ActionConditionKeys of {a['Name']}")
        res = a.get("Resources") or []
        _require(isinstance(res, list) and all(isinstance(r, dict) and isinstance(r.get("Name"), str) for r in res),
                 f"Resources of action {a['Name']} are malformed")
        ann = a.get("Annotations")
        _require(ann is None or isinstance(ann, dict), f"Annotations of action {a['Name']} are malformed")
    resources = data.get("Resources") or []
    _require(isinstance(resources, list), "\"Resources\" is not a list")
    for i, r in enumerate(resources):
        _require(isinstance(r, dict) and isinstance(r.get("Name"), str) and bool(r.get("Name")),
                 f"resource {i} has no \"Name\"")
        _str_list(r.get("ARNFormats"), f"ARNFormats of resource {r['Name']}")
        _str_list(r.get("ConditionKeys"), f"ConditionKeys of resource {r['Name']}")
    keys = data.get("ConditionKeys") or []
    _require(isinstance(keys, list), "\"ConditionKeys\" is not a list")
    for i, k in enumerate(keys):
        _require(isinstance(k, dict) and isinstance(k.get("Name"), str) and bool(k.get("Name")),
                 f"condition key {i} has no \"Name\"")
        t = k.get("Types")
        _require(t is None or isinstance(t, (list, str)), f"Types of condition key {k['Name']} are malformed")
    ops = data.get("Operations")
    _require(ops is None or isinstance(ops, list), "\"Operations\" is not a list")
    return prefix


def parse_global_keys(data: Any) -> dict[str, str] | None:
    """The global condition keys ({"aws:Key": type}) of a consolidated global-keys document,
    or None when the document is not one. Accepted shapes: {"ConditionKeys": [...]},
    {"GlobalConditionKeys": [...]}, or a bare list, of {"Name", "Types"} (or "Type") objects,
    every name starting with "aws:"; and no actions."""
    items: Any = None
    if isinstance(data, dict):
        if data.get("Actions"):
            return None
        items = data.get("GlobalConditionKeys", data.get("ConditionKeys"))
    elif isinstance(data, list):
        items = data
    if not isinstance(items, list) or not items:
        return None
    out: dict[str, str] = {}
    for k in items:
        if not isinstance(k, dict):
            return None
        name = k.get("Name", k.get("name"))
        if not isinstance(name, str) or not name.lower().startswith("aws:"):
            return None
        types = k.get("Types", k.get("Type", k.get("types", k.get("type"))))
        out[name] = condition_type(types)
    return out


# --- conversion -----------------------------------------------------------------------------
def condition_type(types: Any) -> str:
    """One IAM condition type from AWS's "Types" (a list, usually of one)."""
    if isinstance(types, str):
        types = [types]
    if not types:
        return "String"
    first = str(types[0])
    return _TYPES.get(first.lower(), first)


def access_level(action: dict[str, Any], bundled: Action | None = None) -> str:
    props = (action.get("Annotations") or {}).get("Properties")
    if not isinstance(props, dict):
        return bundled.access_level if bundled else "Read"
    if props.get("IsPermissionManagement"):
        return "Permissions management"
    if props.get("IsTaggingOnly"):
        return "Tagging"
    if props.get("IsWrite"):
        return "Write"
    if props.get("IsList"):
        return "List"
    return "Read"


def service_from_reference(data: dict[str, Any], bundled: Service | None = None) -> Service:
    """Convert one service document (validated by `validate_service`) into a `Service`,
    completing what AWS's format lacks from `bundled` (the same service in Policy Sentry)."""
    prefix = str(data["Name"]).lower()

    resources: dict[str, ResourceType] = {}
    for r in data.get("Resources") or []:
        formats = r.get("ARNFormats") or []
        # The catalog keeps one ARN format per resource type, as Policy Sentry does.
        resources[r["Name"]] = ResourceType(prefix, r["Name"], formats[0] if formats else "",
                                            tuple(r.get("ConditionKeys") or ()))

    conditions = {k["Name"]: condition_type(k.get("Types")) for k in data.get("ConditionKeys") or []}

    actions: dict[str, Action] = {}
    for a in data.get("Actions") or []:
        name = a["Name"]
        old = bundled.action(name) if bundled else None
        actions[name] = _action(prefix, name, a, old)

    return Service(
        prefix,
        bundled.name if bundled else prefix,
        bundled.url if bundled else "",
        actions,
        resources,
        conditions,
    )


def _action(prefix: str, name: str, a: dict[str, Any], old: Action | None) -> Action:
    res_names: list[str] = []
    for r in a.get("Resources") or []:
        if r["Name"] not in res_names:
            res_names.append(r["Name"])
    keys = list(dict.fromkeys(a.get("ActionConditionKeys") or ()))

    old_rows = {row.name.lower(): row for row in old.rows} if old else {}
    rows: list[ActionResource] = []
    placed_keys: set[str] = set()
    placed_deps: set[str] = set()
    for rn in res_names:
        prev = old_rows.get(rn.lower())
        # Keys the bundled database lists on this resource row stay on it; the rest go on
        # the action-level row. Either way `Action.condition_keys` is the same union.
        row_keys = tuple(k for k in keys if prev is not None and k in prev.condition_keys)
        deps = prev.dependent_actions if prev is not None else ()
        placed_keys.update(row_keys)
        placed_deps.update(deps)
        rows.append(ActionResource(rn, bool(prev.required) if prev is not None else False, row_keys, deps))

    rest_keys = tuple(k for k in keys if k not in placed_keys)
    rest_deps: tuple[str, ...] = ()
    if old is not None:
        rest_deps = tuple(d for d in old.dependent_actions if d not in placed_deps)
    if not rows or rest_keys or rest_deps:
        rows.append(ActionResource("", False, rest_keys, rest_deps))

    return Action(
        prefix,
        name,
        access_level(a, old),
        old.description if old else "",
        tuple(rows),
        old.api_link if old else "",
    )


def service_to_reference(svc: Service) -> dict[str, Any]:
    """The inverse, for fixtures and tests: a `Service` in AWS's published format."""
    actions = []
    for a in svc.actions.values():
        keys: list[str] = []
        for row in a.rows:
            for k in row.condition_keys:
                if k not in keys:
                    keys.append(k)
        lvl = a.access_level
        actions.append({
            "Annotations": {"Properties": {
                "IsList": lvl == "List",
                "IsPermissionManagement": lvl == "Permissions management",
                "IsTaggingOnly": lvl == "Tagging",
                "IsWrite": lvl in ("Write", "Permissions management", "Tagging"),
            }},
            "Name": a.name,
            **({"ActionConditionKeys": keys} if keys else {}),
            **({"Resources": [{"Name": row.name} for row in a.rows if row.name]}
               if any(row.name for row in a.rows) else {}),
            "SupportedBy": {"IAM Access Analyzer Policy Generation": False, "IAM Action Last Accessed": False},
        })
    return {
        "Name": svc.prefix,
        "Actions": actions,
        "ConditionKeys": [{"Name": k, "Types": [t]} for k, t in svc.conditions.items()],
        "Operations": [],
        "Resources": [
            {"Name": r.name, "ARNFormats": [r.arn_format], **({"ConditionKeys": list(r.condition_keys)}
                                                              if r.condition_keys else {})}
            for r in svc.resources.values()
        ],
        "Version": "v1.4",
    }
