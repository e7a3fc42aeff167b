"""CA102: how the catalog's age changes the level, holes, and retired actions."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from auditor.policy import staleness
from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA102_unknown_action import UnknownAction


def _policy(action: Any, effect: str = "Allow") -> Policy:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]}
    return Policy(doc, LocationMap("policy.json"), "policy.json")


@pytest.fixture
def run(catalog):
    def _run(action: Any, options: dict[str, Any] | None = None) -> list[tuple[str, str, str | None]]:
        rule = UnknownAction(options=options)
        return [(f.level, f.message, f.suggestion) for f in rule.check(_policy(action), catalog)]
    return _run


def test_with_a_fresh_catalog_an_unknown_action_is_an_error_naming_the_catalog(run, catalog, monkeypatch) -> None:
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: False)
    src, date = staleness.catalog_label(catalog, "connect")
    [(level, message, suggestion)] = run("connect:DescribeInstanse")
    assert level == "error"
    assert f"({src}, {date}; `connect-audit catalog update" in message
    assert "the closest is `connect:DescribeInstance`" in message
    assert suggestion == "use `connect:DescribeInstance`"


def test_with_a_stale_catalog_it_is_a_warning_that_says_how_to_refresh(run, monkeypatch) -> None:
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: True)
    [(level, message, suggestion)] = run("connect:CreateTestCase")
    assert level == "warning"
    assert "over 90 days old" in message and "connect-audit catalog update" in message
    assert suggestion and "connect-audit catalog update" in suggestion


def test_the_threshold_is_an_option(run) -> None:
    # The bundled catalog is months old, but not older than a century.
    [(level, _, _)] = run("connect:Frobnicate", {"stale_after_days": 36500})
    assert level == "error"
    [(level, _, _)] = run("connect:Frobnicate", {"stale_after_days": 0})
    assert level == "warning"


def test_without_the_refresh_module_nothing_is_stale(catalog, monkeypatch) -> None:
    import auditor.catalog

    monkeypatch.setitem(sys.modules, "auditor.catalog.refresh", None)  # import raises ImportError
    monkeypatch.delattr(auditor.catalog, "refresh", raising=False)
    assert staleness.catalog_is_stale(catalog, "connect", 0) is False
    assert staleness.refresh_command("connect") == "connect-audit catalog update"


def test_whitespace_and_retired_actions_stay_errors_when_the_catalog_is_stale(run, monkeypatch) -> None:
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: True)
    assert [lvl for lvl, _, _ in run(["wisdom:QueryAssistant ", "connect:DestroyInstance"])] == ["error", "error"]


def test_a_renamed_action_iam_still_honours_is_a_warning(run) -> None:
    [(level, message, suggestion)] = run("connect:GetFederationTokens")
    assert level == "warning" and "former name" in message
    assert suggestion and suggestion.startswith("use `connect:AdminGetEmergencyAccessToken`")


def test_action_names_are_case_insensitive(run) -> None:
    assert run(["connect:describeinstance", "CONNECT:DESCRIBEUSER", "Profile:SearchProfiles"]) == []


def test_holes_wildcards_and_unknown_services_are_left_to_others(run) -> None:
    assert run(unresolved("var.actions")) == []
    assert run(Text(["connect:", Hole("var.verb"), "Instance"])) == []
    assert run(Text(["connect:Describe", Hole("var.noun")])) == []
    assert run(["connect:Descrbe*", "conect:DescribeUser", "DescribeUser"]) == []


def test_another_service_in_the_connect_family_is_preferred(run) -> None:
    [(_, message, suggestion)] = run("connect:CreateProfile")
    assert "`CreateProfile` is an action of `profile`" in message
    assert suggestion and suggestion.startswith("use `profile:CreateProfile`")
