"""CA108 on documents built directly: template holes allow anything."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from rules.CA108_missing_dependent_actions import MissingDependentActions


@pytest.fixture
def run(catalog):
    def _run(*statements: dict[str, Any]) -> list[tuple[tuple, str]]:
        doc = {"Version": "2012-10-17", "Statement": list(statements)}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.admin")
        return [(f.path, f.level) for f in MissingDependentActions().check(policy, catalog)]
    return _run


def allow(action: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": "*"}


def test_holes_count_as_allowing(run) -> None:
    assert run(allow("connect:ListInstances"), allow(unresolved("var.extra_actions"))) == []
    assert run(allow(["connect:ListInstances", Text(["ds:", Hole("var.verb")])])) == []
    assert run(allow(unresolved("var.actions"))) == []
    assert run(allow("connect:ListInstances")) == [(("Statement", 0, "Action"), "warning")]


def test_case_and_not_action(run) -> None:
    assert run(allow("connect:listinstances"), allow("DS:DescribeDirectories")) == []
    not_ds = {"Effect": "Allow", "NotAction": "ds:*", "Resource": "*"}
    assert run(allow("connect:ListInstances"), not_ds) == [(("Statement", 0, "Action"), "warning")]
