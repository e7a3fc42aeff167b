"""CA106 on documents built directly: template holes in keys and actions."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA106_unsupported_condition_key import UnsupportedConditionKey


@pytest.fixture
def run(catalog):
    def _run(action: Any, condition: dict[str, Any]) -> list[tuple[str, str]]:
        doc = {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*", "Condition": condition}]}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
        return [(f.level, f.message) for f in UnsupportedConditionKey().check(policy, catalog)]
    return _run


def test_holes_are_never_judged(run) -> None:
    key = Text(["aws:ResourceTag/", Hole("var.tag_key")])
    assert run("connect:ListInstances", {"StringEquals": {key: "Billing"}}) == []
    assert run(unresolved("var.actions"), {"StringEquals": {"aws:ResourceTag/Team": "Billing"}}) == []
    assert run(["connect:DescribeUser", unresolved("var.more")], {"StringEquals": {"s3:prefix": "x"}}) == []


def test_keys_other_services_define(run) -> None:
    # Defined by sts under another prefix, and a cross-service key: both exist.
    assert [lvl for lvl, _ in run("sts:AssumeRoleWithSAML", {"StringEquals": {"saml:aud": "x"}})] == []
    assert run("connect:DescribeUser", {"ArnLike": {"lambda:SourceFunctionArn": "arn:aws:lambda:*:*:function:x"}}) == []
    assert [lvl for lvl, _ in run("connect:DescribeUser", {"StringEquals": {"saml:nope": "x"}})] == ["error"]


def test_the_staleness_threshold_is_an_option(catalog) -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:DescribeUser",
                                                    "Resource": "*",
                                                    "Condition": {"StringEquals": {"connect:Frobnicate": "x"}}}]}
    policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")

    def levels(days: int) -> list[str]:
        rule = UnsupportedConditionKey(options={"stale_after_days": days})
        return [f.level for f in rule.check(policy, catalog)]

    # The bundled catalog is months old, but not older than a century.
    assert levels(36500) == ["error"]
    assert levels(0) == ["warning"]
