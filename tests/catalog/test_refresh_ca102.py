"""CA102 (unknown action) against the catalog before and after a refresh: a real action newer
than the bundled database stops being reported once the catalog knows it, and a stale catalog
softens the finding to a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.catalog import Catalog
from auditor.catalog import refresh

from .conftest import Reference

pytest.importorskip("auditor.engine")
if not list((Path(__file__).resolve().parents[2] / "rules").glob("CA102*.py")):  # pragma: no cover
    pytest.skip("rule CA102 is not there yet", allow_module_level=True)

from auditor.engine import Options, scan  # noqa: E402

NEW = ["connect:CreateTestCase", "connect:StartTestCaseExecution", "connect:ListTestCases"]
INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/0a1b2c3d-1111-2222-3333-444455556666"


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": NEW, "Resource": [INSTANCE, f"{INSTANCE}/test-case/*"]},
            {"Effect": "Allow", "Action": ["connect:NoSuchTestCaseThing"], "Resource": "*"},
        ],
    }, indent=2))
    return path


def ca102(policy: Path, **rule_options: object) -> dict[str, str]:
    """{action: level} of the CA102 findings, with a freshly layered catalog."""
    opts = Options(select=["CA102"], rule_options={"CA102": dict(rule_options)} if rule_options else {})
    report = scan([policy], opts, catalog=Catalog.default())
    doc = json.loads(policy.read_text())
    out = {}
    for f in report.findings:
        assert f.rule_id == "CA102"
        _, st, _, i = f.path
        out[doc["Statement"][st]["Action"][i]] = f.level
    return out


def test_new_actions_stop_being_reported_after_an_update(cache: Path, reference: Reference, policy: Path) -> None:
    cat = Catalog.default()
    if any(cat.action(a) for a in NEW):  # pragma: no cover - a newer Policy Sentry has them
        pytest.skip("the bundled database already has the TestCase actions")
    stale = refresh.is_stale(cat, service="connect")
    before = ca102(policy)
    assert set(before) == set(NEW) | {"connect:NoSuchTestCaseThing"}
    # The bundled database's age decides: a warning when it is stale, else an error.
    assert set(before.values()) == {"warning" if stale else "error"}

    report = refresh.update(base_url=reference.url, services=["connect"], retries=0)
    assert report.ok, report.lines()
    after = ca102(policy)
    # Known now; the catalog is fresh, so a truly unknown action is an error again.
    assert after == {"connect:NoSuchTestCaseThing": "error"}


def test_a_stale_catalog_makes_it_a_warning_that_names_the_date_and_the_command(
        cache: Path, policy: Path) -> None:
    opts = Options(select=["CA102"], rule_options={"CA102": {"stale_after_days": 0}})
    cat = Catalog.default()
    if refresh.catalog_age_days(cat, "connect") == 0:  # pragma: no cover - released today
        pytest.skip("the bundled database is from today")
    report = scan([policy], opts, catalog=cat)
    f = report.findings[0]
    assert f.level == "warning"
    assert cat.sources[0].date in f.message
    assert "connect-audit catalog update" in f.message

    opts = Options(select=["CA102"], rule_options={"CA102": {"stale_after_days": 100000}})
    report = scan([policy], opts, catalog=cat)
    assert {f.level for f in report.findings} == {"error"}


def test_a_failed_update_keeps_reporting_with_the_previous_catalog(cache: Path, reference: Reference,
                                                                  policy: Path) -> None:
    before = ca102(policy)
    reference.faults["/v1/connect/connect.json"] = "close-mid-file"
    report = refresh.update(base_url=reference.url, services=["connect"], retries=0)
    assert "connect" in report.failed
    assert ca102(policy) == before
