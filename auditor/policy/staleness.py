"""How old the catalog answering for a service is, for rules that must not cry wolf.

A real action newer than the catalog looks unknown; rules that report unknown names (CA102,
CA103) say which catalog answered and how to refresh it, and soften to a warning when the
catalog is stale. `auditor.catalog.refresh` knows the dates; it is optional here so a rule
never fails because of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.catalog import Catalog

DEFAULT_STALE_AFTER_DAYS = 90


def catalog_label(catalog: Catalog, prefix: str) -> tuple[str, str]:
    """(source label, date) of the catalog data answering for `prefix`."""
    src = catalog.source_of(prefix) or catalog.sources[0]
    date = src.date
    try:
        from auditor.catalog import refresh

        date = refresh.catalog_date(catalog, prefix) or date
    except (ImportError, AttributeError):
        pass
    return src.label, str(date)


def refresh_command(prefix: str | None = None) -> str:
    try:
        from auditor.catalog import refresh

        return str(refresh.refresh_hint(prefix))
    except (ImportError, AttributeError, TypeError):
        return "connect-audit catalog update"


def catalog_is_stale(catalog: Catalog, prefix: str, threshold_days: int = DEFAULT_STALE_AFTER_DAYS) -> bool:
    """Whether the data answering for `prefix` is older than `threshold_days`. Without the
    refresh module (or with an unknown date) nothing is stale."""
    try:
        from auditor.catalog import refresh
    except ImportError:
        return False
    try:
        return bool(refresh.is_stale(catalog, threshold_days=threshold_days, service=prefix))
    except TypeError:  # a signature without `service`
        return bool(refresh.is_stale(catalog, threshold_days=threshold_days))
    except AttributeError:
        return False


def stale_after_days(options: dict[str, Any]) -> int:
    """A rule's `stale_after_days` option (default 90)."""
    return int(options.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS))


@dataclass(frozen=True)
class CatalogAge:
    """Which catalog answered for a service, how old it may be (`days`, the rule's option),
    whether it is older (`stale`), and the command that refreshes it, for the messages of rules
    that report a name the catalog does not know."""

    label: str
    date: str
    days: int
    stale: bool
    refresh: str

    @property
    def named(self) -> str:
        """`the catalog (source, date)`"""
        return f"the catalog ({self.label}, {self.date})"

    @property
    def fresh(self) -> str:
        """`the catalog (source, date; `refresh` refreshes it)`"""
        return f"the catalog ({self.label}, {self.date}; `{self.refresh}` refreshes it)"

    @property
    def too_old(self) -> str:
        """`the catalog (source, date), which is over N days old`"""
        return f"{self.named}, which is over {self.days} days old"


def catalog_age(catalog: Catalog, prefix: str, options: dict[str, Any], refresh_for: str | None = None) -> CatalogAge:
    """The age of the catalog data answering for `prefix`, judged by the rule's options;
    `refresh_for` names the service the refresh command should name (None: the whole catalog)."""
    days = stale_after_days(options)
    label, date = catalog_label(catalog, prefix)
    return CatalogAge(label, date, days, catalog_is_stale(catalog, prefix, days), refresh_command(refresh_for))
