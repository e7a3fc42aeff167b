"""AWS's own Amazon Connect managed policies (moto ships their documents) are valid against the
catalog: no unknown service, action, wildcard or condition key, no invalid ARN or structure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.engine import Options, scan

CONNECT_MANAGED_POLICIES = [
    "AmazonConnect_FullAccess",
    "AmazonConnectReadOnlyAccess",
    "AmazonConnectServiceLinkedRolePolicy",
    "AmazonConnectCampaignsServiceLinkedRolePolicy",
    "AmazonConnectSynchronizationServiceRolePolicy",
    "AmazonConnectVoiceIDFullAccess",
]
CATALOG_VALIDITY = ["CA001", "CA002", "CA003", "CA004", "CA101", "CA102", "CA103", "CA104", "CA106", "CA107"]


@pytest.fixture(scope="module")
def managed_policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    folder = tmp_path_factory.mktemp("managed")
    for name in CONNECT_MANAGED_POLICIES:
        (folder / f"{name}.json").write_text(json.dumps(data[name]["Document"], indent=2))
    return folder


def test_connect_managed_policies_have_no_catalog_validity_error(managed_policies: Path, catalog) -> None:
    report = scan([managed_policies], Options(select=CATALOG_VALIDITY), catalog=catalog)
    assert len(report.model.policies) == len(CONNECT_MANAGED_POLICIES)
    assert [(f.rule_id, f.message) for f in report.findings if f.level == "error"] == []
    # The one action newer than the bundled catalog is a warning that says so, not an error.
    newer = [(Path(f.resource or "").name, f.level, f.message.split("`")[1])
             for f in report.findings if f.rule_id == "CA102"]
    assert newer == [("AmazonConnectCampaignsServiceLinkedRolePolicy.json", "warning", "connect:SendOutboundWebNotification")]
    assert all("may be a newer action" in f.message for f in report.findings if f.rule_id == "CA102")
