"""CA107 on documents built directly: template holes and the operator helpers."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.conditions import closest_operator, parse_operator, value_problem
from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA107_condition_operator_mismatch import ConditionOperatorMismatch


@pytest.fixture
def run(catalog):
    def _run(condition: Any) -> list[tuple[str, str]]:
        doc = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": "*", "Condition": condition}]}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
        return [(f.level, f.message) for f in ConditionOperatorMismatch().check(policy, catalog)]
    return _run


def test_holes_are_never_judged(run) -> None:
    assert run({unresolved("var.operator"): {"aws:SourceIp": "x"}}) == []
    assert run({"IpAddress": {"aws:SourceIp": unresolved("var.office_cidr")}}) == []
    assert run({"IpAddress": {"aws:SourceIp": [Text([Hole("var.prefix"), "/24"]), "203.0.113.0/24"]}}) == []
    assert run({"Bool": {Text(["aws:", Hole("var.key")]): "maybe"}}) == []
    assert run(unresolved("var.condition")) == []


def test_operator_parsing() -> None:
    op = parse_operator("ForAllValues:StringNotLikeIfExists")
    assert op and (op.base, op.set_prefix, op.if_exists, op.negated) == ("StringNotLike", "ForAllValues", True, True)
    assert op.when_key_absent() is True
    assert parse_operator("StringEquals").when_key_absent() is False  # type: ignore[union-attr]
    assert parse_operator("stringequals") is None and closest_operator("stringequals") == "StringEquals"
    assert closest_operator("NullIfExists") == "Null"
    assert value_problem("Date", "2025-02-30") is not None
    assert value_problem("Date", "2025-02-28T10:00:00+01:00") is None
