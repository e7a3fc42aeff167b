"""CA103: holes, the catalog's age, and the nearest wildcard."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy import staleness
from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA103_wildcard_matches_nothing import WildcardMatchesNothing, _nearest_glob


@pytest.fixture
def run(catalog):
    def _run(action: Any) -> list[tuple[str, str, str | None]]:
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": "*"}]}
        policy = Policy(doc, LocationMap("policy.json"), "policy.json")
        return [(f.level, f.message, f.suggestion) for f in WildcardMatchesNothing().check(policy, catalog)]
    return _run


def test_holes_never_match_nothing(run) -> None:
    assert run(unresolved("var.actions")) == []
    assert run(Text(["connect:", Hole("var.verb"), "*"])) == []
    assert run(Text([Hole("var.prefix"), ":Descrbe*"])) == []


def test_fresh_catalog_error_and_stale_catalog_warning(run, monkeypatch) -> None:
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: False)
    [(level, message, suggestion)] = run("connect:Delte*")
    assert level == "error" and "refreshes it" in message
    assert suggestion and suggestion.startswith("use `connect:Delete*` (")
    monkeypatch.setattr(staleness, "catalog_is_stale", lambda *a, **k: True)
    [(level, _, _)] = run("connect:Delte*")
    assert level == "warning"


def test_real_wildcards_and_unknown_services_are_not_reported(run) -> None:
    assert run(["connect:Describe*", "connect:*user*", "conn*:List*", "*", "conect:Describe*"]) == []


@pytest.mark.parametrize("pattern,nearest", [
    ("Descrbe*", "Describe*"),
    ("*Usr*", "*User*"),
    ("Describe*Usre", "Describe*User"),
    ("Delte*", "Delete*"),
    ("*Foo*", None),
    ("*TestCase*", None),
])
def test_nearest_glob(catalog, pattern: str, nearest: str | None) -> None:
    names = list(catalog.service("connect").actions)
    assert _nearest_glob(pattern, names) == nearest
