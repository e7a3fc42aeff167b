"""CA003 on documents built directly: template holes and documentation placeholders."""

from __future__ import annotations

from typing import Any

from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA003_policy_version import PolicyVersion, variables_used

AGENTS = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/agent/"


def run(doc: Any) -> list[tuple[tuple, str, str]]:
    policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
    return [(f.path, f.level, f.message) for f in PolicyVersion().check(policy, None)]  # type: ignore[arg-type]


def doc(version: Any, resource: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Statement": [{"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": resource}]}
    if version is not None:
        out["Version"] = version
    return out


def test_a_version_hole_is_not_reported() -> None:
    assert run(doc(unresolved("var.policy_version"), AGENTS + "*")) == []
    assert run(unresolved("data.aws_iam_policy_document.x.json")) == []


def test_template_holes_are_not_policy_variables() -> None:
    # A Text shows its holes as ${expr}; only its literal parts can hold policy variables.
    arn = Text([Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"), "/agent/*"])
    assert str(arn).startswith("${aws_connect_instance.main.arn}")
    assert run(doc("2008-10-17", arn))[0][1] == "note"
    assert variables_used(Policy(doc("2008-10-17", arn), LocationMap("x"), "x")) == []
    # ... while a policy variable written literally (`$${aws:username}` in HCL) is one.
    arn2 = Text([Hole("aws_connect_instance.main.arn"), "/agent/${aws:username}"])
    assert [lvl for _, lvl, _ in run(doc("2008-10-17", arn2))] == ["error"]


def test_documentation_placeholders_are_not_policy_variables() -> None:
    found = run(doc("2008-10-17", "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/*"))
    assert [lvl for _, lvl, _ in found] == ["note"]


def test_variable_escapes_count() -> None:
    assert [lvl for _, lvl, _ in run(doc(None, [AGENTS + "${*}"]))] == ["error"]


def test_unquoted_yaml_date_version() -> None:
    import datetime

    assert run(doc(datetime.date(2012, 10, 17), AGENTS + "*")) == []
    assert [lvl for _, lvl, _ in run(doc(datetime.date(2008, 10, 17), AGENTS + "${aws:username}"))] == ["error"]
    assert [lvl for _, lvl, _ in run(doc(datetime.date(2024, 1, 1), AGENTS + "*"))] == ["error"]
