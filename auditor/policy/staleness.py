"""How old the catalog answering for a service is, for rules that must not cry wolf.

A real action newer than the catalog looks unknown; rules that report unknown names (CA102,
CA103) say which catalog answered and how to refresh it, and soften to a warning when the
catalog is stale. `auditor.catalog.refresh` knows the dates; it is optional here so a rule
never fails because of it.
"""

from __future__ import annotations

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
