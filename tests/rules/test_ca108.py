"""CA108 on documents built directly: template holes allow anything."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA108_missing_dependent_actions import MissingDependentActions


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


def messages(catalog, *statements: dict[str, Any]) -> list[tuple[str, str]]:
    policy = Policy({"Version": "2012-10-17", "Statement": list(statements)}, LocationMap("p.json"), "p.json")
    return [(f.level, f.message) for f in MissingDependentActions().check(policy, catalog)]


@pytest.mark.parametrize("action,dependent,when", [
    ("connect:CreatePrompt", "kms:Decrypt", "with a customer managed KMS key"),
    ("ec2:RunInstances", "ec2:CreateTags", "when the request tags what it creates"),
    ("connect:CreateIntegrationAssociation", "wisdom:TagResource", "when the request tags what it creates"),
    ("ecs:RunTask", "iam:PassRole", "when the request passes a role"),
    ("lambda:CreateFunction", "lambda:PassCapacityProvider", "when the request passes a capacity provider"),
    ("servicequotas:GetServiceQuota", "dynamodb:DescribeLimits", "each for a quota of its own service"),
    # Needed every time, as far as the catalog says:
    ("connect:CreateInstance", "ds:CheckAlias", None),
    ("connect:CreateInstance", "iam:CreateServiceLinkedRole", None),
    ("connect:CreateInstance", "iam:PutRolePolicy", None),
    ("connect:CreatePrompt", "s3:GetObject", None),
    ("ec2:RunInstances", "ssm:GetParameters", None),
])
def test_which_dependents_are_conditional(catalog, action: str, dependent: str, when: str | None) -> None:
    from auditor.rules.CA108_missing_dependent_actions import conditional

    a = catalog.action(action)
    assert dependent in a.dependent_actions
    assert conditional(a, dependent, catalog) == when


def test_only_conditional_dependents_missing_is_a_note(catalog) -> None:
    assert messages(catalog, allow("ecs:RunTask")) == [
        ("note", "ecs:RunTask may also need iam:PassRole (when the request passes a role), which this policy does not allow.")]
    assert messages(catalog, allow("ecs:RunTask"), allow("iam:PassRole")) == []


def test_any_other_missing_dependent_keeps_the_warning(catalog) -> None:
    [(level, message)] = messages(catalog, allow("ec2:RunInstances"))
    assert level == "warning"
    assert message == ("ec2:RunInstances also needs ssm:GetParameters, and may need ec2:CreateTags (when the request "
                       "tags what it creates) and iam:PassRole (when the request passes a role), which this policy "
                       "does not allow.")
    [(level, message)] = messages(catalog, allow("connect:CreateInstance"), allow(["ds:CheckAlias", "ds:CreateAlias"]))
    assert level == "warning" and "may" not in message
    assert "iam:CreateServiceLinkedRole" in message and "ds:DescribeDirectories" in message


def test_a_configured_level_still_wins(catalog) -> None:
    policy = Policy({"Version": "2012-10-17", "Statement": [allow("ecs:RunTask")]}, LocationMap("p.json"), "p.json")
    assert [f.level for f in MissingDependentActions(level="error").check(policy, catalog)] == ["error"]
