"""CA105 on documents built directly: template holes, with and without a known shape."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA105_resource_mismatch import ResourceMismatch

INSTANCE = Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")
AGENTS = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/agent/*"


@pytest.fixture
def run(catalog):
    def _run(action: Any, resource: Any, effect: str = "Allow") -> list[tuple[tuple, str, str, str | None]]:
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": resource}]}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
        return [(f.path, f.level, f.message, f.suggestion) for f in ResourceMismatch().check(policy, catalog)]
    return _run


def test_a_hole_with_a_known_shape_is_still_checked(run) -> None:
    users = Text([INSTANCE, "/user/*"])
    [(path, level, message, suggestion)] = run("connect:DeleteUser", users)
    assert path == ("Statement", 0, "Action") and level == "error"
    assert "${aws_connect_instance.main.arn}/user/*" in message
    assert suggestion == "use ${aws_connect_instance.main.arn}/agent/*"
    assert run("connect:DeleteUser", Text([INSTANCE, "/agent/*"])) == []
    assert run("connect:ListUsers", Text([INSTANCE])) == []


def test_holes_without_a_shape_are_never_a_mismatch(run) -> None:
    assert run("connect:DeleteUser", unresolved("var.user_arns")) == []
    assert run("connect:ListInstances", unresolved("var.resource")) == []
    assert run("connect:DeleteUser", Text([Hole("var.instance_arn"), "/user/*"])) == []
    # A region or id from a variable: the rest of the ARN is still known.
    arn = Text(["arn:aws:connect:", Hole("var.region"), ":123456789012:instance/", Hole("var.id"), "/agent/*"])
    assert run("connect:DeleteUser", arn) == []
    assert run(["connect:DeleteUser", "connect:ListInstances"], arn)[0][0] == ("Statement", 0, "Action", 1)


def test_an_unresolved_action_silences_the_dead_resource_note(run) -> None:
    assert run([unresolved("var.actions"), "connect:DescribeUser"], [AGENTS, AGENTS.replace("agent", "queue")]) == []
    assert run(unresolved("var.actions"), AGENTS.replace("agent", "user")) == []


def test_a_whole_list_unresolved(run) -> None:
    assert run("connect:DeleteUser", unresolved("local.resources")) == []
