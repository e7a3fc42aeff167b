"""Catalog age, staleness (for CA102) and the refresh hint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.catalog import Catalog
from auditor.catalog import refresh
from auditor.catalog.store import write_source

from .conftest import REFERENCE, fixtures_match_bundled


@pytest.mark.parametrize("text, expected", [
    ("2026-04", date(2026, 4, 1)),
    ("2026-11-22", date(2026, 11, 22)),
    ("2026-11-22T10:00:00Z", date(2026, 11, 22)),
    ("unknown", None), ("", None), (None, None), ("2026-13", None), ("2026-02-30", None),
])
def test_parse_catalog_date(text: object, expected: date | None) -> None:
    assert refresh.parse_catalog_date(text) == expected


def test_the_bundled_database_age_counts_from_its_release_month(cache: Path) -> None:
    cat = Catalog.default()
    assert len(cat.sources) == 1
    d = refresh.parse_catalog_date(cat.date)
    assert d is not None and d.day == 1
    assert refresh.catalog_age_days(cat, today=d) == 0
    assert refresh.catalog_age_days(cat, today=date.fromordinal(d.toordinal() + 120)) == 120
    assert not refresh.is_stale(cat, 90, today=date.fromordinal(d.toordinal() + 90))
    assert refresh.is_stale(cat, 90, today=date.fromordinal(d.toordinal() + 91))
    assert refresh.is_stale(cat, threshold_days=90, today=date.fromordinal(d.toordinal() + 91))
    assert not refresh.is_stale(cat, threshold_days=365, today=date.fromordinal(d.toordinal() + 91))


def test_after_a_refresh_the_refreshed_services_are_fresh(cache: Path) -> None:
    refresh.update(from_dir=REFERENCE, services=["connect"], today="2026-11-22")
    cat = Catalog.default()
    # mtime of the fixture file is the date of the --from import, so use a download-like date:
    today = refresh.parse_catalog_date(refresh.catalog_date(cat, "connect"))
    assert not refresh.is_stale(cat, today=today, service="connect")
    assert refresh.catalog_age_days(cat, "connect", today=today) == 0
    # A service the update did not touch is as old as the bundled database.
    bundled_date = refresh.parse_catalog_date(cat.sources[-1].date)
    assert refresh.catalog_date(cat, "s3") == cat.sources[-1].date
    later = date.fromordinal(max(today, bundled_date).toordinal() + 100)
    assert refresh.is_stale(cat, today=later, service="s3")
    # Without a service, the first source's date (the refreshed one) counts.
    assert refresh.catalog_date(cat) == cat.sources[0].date


def test_threshold_from_the_environment(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = Catalog.default()
    d = refresh.parse_catalog_date(cat.date)
    today = date.fromordinal(d.toordinal() + 100)
    assert refresh.stale_threshold_days() == refresh.DEFAULT_STALE_DAYS == 90
    assert refresh.is_stale(cat, today=today)
    monkeypatch.setenv("CONNECT_AUDIT_CATALOG_MAX_AGE_DAYS", "365")
    assert refresh.stale_threshold_days() == 365
    assert not refresh.is_stale(cat, today=today)
    assert not refresh.is_stale(cat, None, today=today)
    assert refresh.is_stale(cat, 30, today=today)  # an explicit other threshold wins


def test_an_unknown_date_is_never_stale(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "mine"
    write_source(folder, {}, "my catalog", "unknown")
    cat = Catalog.default([folder])
    assert refresh.catalog_age_days(cat) is None
    assert not refresh.is_stale(cat, today="2100-01-01")


def test_refresh_hint() -> None:
    assert refresh.refresh_hint() == "connect-audit catalog update"
    assert refresh.refresh_hint("connect") == "connect-audit catalog update --services connect"
    assert refresh.refresh_hint(["connect", "profile"]) == "connect-audit catalog update --services connect,profile"


def test_diff_of_sources_and_catalogs(cache: Path) -> None:
    old = Catalog.default()
    refresh.update(from_dir=REFERENCE)
    new = Catalog.default()
    d = refresh.diff(old, new)
    assert list(d) == list(refresh.CONNECT_FAMILY)
    assert "CreateTestCase" in d["connect"]["added"] and "StartTestCaseExecution" in d["connect"]["added"]
    assert "ListRealtimeContactAnalysisSegments" in d["connect"]["removed"]
    assert {"CreateRecommenderFilter", "ListRecommenderFilters"} <= set(d["profile"]["added"])
    assert d["qconnect"]["added"][:2] == ["CreateAIAgent", "CreateAssistant"]
    assert d["voiceid"] == {"added": [], "removed": []}  # not refreshed
    if fixtures_match_bundled():
        assert d["connect"]["removed"] == ["ListRealtimeContactAnalysisSegments"]
        assert d["profile"] == {"added": ["CreateRecommenderFilter", "ListRecommenderFilters"], "removed": []}
        assert d["cases"] == {"added": [], "removed": []}
    # A Source works as well as a Catalog; and the reverse direction swaps the lists.
    assert refresh.diff(new.sources[-1], new.sources[0], ["connect"])["connect"] == d["connect"]
    back = refresh.diff(new, old, ["connect"])["connect"]
    assert back["removed"] == d["connect"]["added"] and back["added"] == d["connect"]["removed"]
