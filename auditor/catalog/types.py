"""What the catalog knows of one service: its actions, resource types and condition keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

ACCESS_LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")


@dataclass(frozen=True)
class ResourceType:
    service: str
    name: str
    arn_format: str
    condition_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionResource:
    """One row of an action's resource types: `name` "" is the action-level row."""

    name: str
    required: bool
    condition_keys: tuple[str, ...] = ()
    dependent_actions: tuple[str, ...] = ()


@dataclass
class Action:
    service: str
    name: str
    access_level: str
    description: str = ""
    rows: tuple[ActionResource, ...] = ()
    api_link: str = ""
    _service: "Service | None" = field(default=None, repr=False, compare=False)

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @cached_property
    def resource_types(self) -> list[tuple[ResourceType, bool]]:
        """(resource type, required) for every resource type the action accepts."""
        out = []
        svc = self._service
        for row in self.rows:
            if not row.name or svc is None:
                continue
            rt = svc.resource_type(row.name)
            if rt is not None:
                out.append((rt, row.required))
        return out

    @cached_property
    def star_only(self) -> bool:
        """True when the action supports no resource-level permissions (only `*`)."""
        return not any(row.name for row in self.rows)

    @cached_property
    def condition_keys(self) -> set[str]:
        keys: set[str] = set()
        for row in self.rows:
            keys.update(row.condition_keys)
        svc = self._service
        if svc is not None:
            for row in self.rows:
                rt = svc.resource_type(row.name) if row.name else None
                if rt is not None:
                    keys.update(rt.condition_keys)
        return keys

    @cached_property
    def dependent_actions(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.rows:
            for d in row.dependent_actions:
                seen.setdefault(d, None)
        return list(seen)


@dataclass
class Service:
    prefix: str
    name: str
    url: str
    actions: dict[str, Action]  # by exact name
    resources: dict[str, ResourceType]
    conditions: dict[str, str]  # key -> type
    _lower: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lower = {k.lower(): k for k in self.actions}
        for a in self.actions.values():
            a._service = self

    def action(self, name: str) -> Action | None:
        real = self._lower.get(name.lower())
        return self.actions[real] if real else None

    def resource_type(self, name: str) -> ResourceType | None:
        rt = self.resources.get(name)
        if rt is None:
            low = name.lower()
            for k, v in self.resources.items():
                if k.lower() == low:
                    return v
        return rt

    # --- compact (cache) form --------------------------------------------------------------
    def to_compact(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "name": self.name,
            "url": self.url,
            "actions": {
                a.name: [
                    a.access_level,
                    a.description,
                    [[r.name, int(r.required), list(r.condition_keys), list(r.dependent_actions)] for r in a.rows],
                    a.api_link,
                ]
                for a in self.actions.values()
            },
            "resources": {r.name: [r.arn_format, list(r.condition_keys)] for r in self.resources.values()},
            "conditions": self.conditions,
        }

    @classmethod
    def from_compact(cls, data: dict[str, Any]) -> "Service":
        prefix = data["prefix"]
        actions = {
            name: Action(
                prefix,
                name,
                v[0],
                v[1],
                tuple(ActionResource(r[0], bool(r[1]), tuple(r[2]), tuple(r[3])) for r in v[2]),
                v[3] if len(v) > 3 else "",
            )
            for name, v in data["actions"].items()
        }
        resources = {n: ResourceType(prefix, n, v[0], tuple(v[1])) for n, v in data["resources"].items()}
        return cls(prefix, data.get("name", prefix), data.get("url", ""), actions, resources, dict(data["conditions"]))
