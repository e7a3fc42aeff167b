"""CA101 on documents built directly: template holes, and the service suggestions."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy import staleness
from auditor.policy.model import LocationMap, Policy
from auditor.policy.suggest import closest_by_edits, edit_distance, suggest_service
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA101_unknown_service import UnknownService


@pytest.fixture
def run(catalog):
    def _run(action: Any) -> list[tuple[tuple, str, str | None]]:
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
        return [(f.path, f.message, f.suggestion) for f in UnknownService().check(policy, catalog)]
    return _run


def test_holes_are_never_an_unknown_service(run) -> None:
    assert run(unresolved("var.actions")) == []
    assert run(Text([Hole("var.prefix"), ":DescribeUser"])) == []
    assert run(Text(["connect:", Hole("var.action")])) == []
    assert run([Text([Hole("local.svc"), ":*"]), "connect:DescribeUser"]) == []


def test_a_literal_next_to_a_hole_is_still_checked(run) -> None:
    [(path, message, suggestion)] = run([unresolved("var.extra"), "conect:DescribeUser"])
    assert path == ("Statement", 0, "Action", 1)
    assert "`conect`" in message and suggestion == "use `connect:DescribeUser`"


@pytest.mark.parametrize("written,meant", [
    ("app-integartions", "app-integrations"),
    ("connect-campaign", "connect-campaigns"),
    ("customer-profiles", "profile"),
    ("amazon-connect", "connect"),
    ("appintegrations", "app-integrations"),
    ("qconnect", "wisdom"),
    ("voice-id", "voiceid"),
    ("Conect", "connect"),
])
def test_suggested_prefixes(catalog, written: str, meant: str) -> None:
    assert suggest_service(written, catalog) == meant


def test_the_action_name_breaks_ties_between_close_prefixes(catalog) -> None:
    # `profiles` is an alias of `profile`; without an alias, an action the nearer service lacks
    # sends the suggestion to the one that has it.
    assert suggest_service("profiles", catalog, "SearchProfiles") == "profile"
    assert suggest_service("zzzz-unknown", catalog) is None


def test_edit_distance_counts_a_swap_as_one_slip() -> None:
    assert edit_distance("Usre", "User") == 1
    assert edit_distance("Descrbe", "Describe") == 1
    assert closest_by_edits("Usr", ["Use", "User", "Usage"]) == "User"
    assert closest_by_edits("Foo", ["Flo", "Flow"]) is None


def test_a_prefix_like_no_service_is_a_warning_only_while_the_catalog_is_stale(run, catalog, monkeypatch) -> None:

    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: False)
    [(_, message, suggestion)] = run("s3files:GetFileSystem")
    assert message == "`s3files` is not an AWS service prefix (in `s3files:GetFileSystem`)." and suggestion is None
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: True)
    rule = UnknownService()
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
        "s3files:GetFileSystem", "app-integartions:DeleteEventIntegration", "connect-campaign:DescribeCampaign"]}]}
    levels = [f.level for f in rule.check(Policy(doc, LocationMap("p.json"), "p.json"), catalog)]
    # A typo whose fix is a real action stays an error however old the catalog is.
    assert levels == ["warning", "error", "error"]

