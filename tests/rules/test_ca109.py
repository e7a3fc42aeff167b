"""CA109 on documents built directly: only wholly unknown Action or NotAction elements."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.model import LocationMap, Policy, PolicyKind
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA109_unresolved_actions import UnresolvedActions

ACTIONS = unresolved("module.connect_actions.agent_actions")


@pytest.fixture
def run(catalog):
    def _run(*statements: dict[str, Any], kind: PolicyKind = PolicyKind.IDENTITY) -> list[tuple[tuple, str, str]]:
        doc = {"Version": "2012-10-17", "Statement": list(statements)}
        policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents", kind=kind)
        return [(f.path, f.level, f.message) for f in UnresolvedActions().check(policy, catalog)]
    return _run


def test_a_wholly_unknown_action_element_is_one_note_per_statement(run) -> None:
    assert run({"Effect": "Allow", "Action": ACTIONS, "Resource": "*"}) == [
        (("Statement", 0, "Action"), "note", "Action is `module.connect_actions.agent_actions`: its actions are not "
                                             "known before deployment, so they were not checked.")]
    [(path, _, message)] = run({"Effect": "Deny", "NotAction": [unresolved("var.a"), unresolved("var.b")], "Resource": "*"})
    assert path == ("Statement", 0, "NotAction") and message.startswith("NotAction is [`var.a`, `var.b`]:")


def test_what_is_partly_known_is_checked_by_the_other_rules_instead(run) -> None:
    assert run({"Effect": "Allow", "Action": ["connect:DescribeUser", ACTIONS], "Resource": "*"}) == []
    assert run({"Effect": "Allow", "Action": Text(["connect:", Hole("var.verb"), "Queue"]), "Resource": "*"}) == []
    # A hole whose shape is known is not "nothing known".
    assert run({"Effect": "Allow", "Action": Text([Hole("var.action", "connect:*")]), "Resource": "*"}) == []
    assert run({"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": unresolved("var.arns")}) == []
    assert run({"Effect": "Allow", "Action": [], "Resource": "*"}) == []  # CA002's


def test_every_statement_and_every_kind(run) -> None:
    found = run({"Effect": "Allow", "Action": ACTIONS, "Resource": "*"},
                {"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": "*"},
                {"Effect": "Allow", "Action": unresolved("var.more"), "Resource": "*"})
    assert [p for p, _, _ in found] == [("Statement", 0, "Action"), ("Statement", 2, "Action")]
    trust = {"Effect": "Allow", "Principal": {"Service": "connect.amazonaws.com"}, "Action": ACTIONS}
    assert len(run(trust, kind=PolicyKind.TRUST)) == 1


def test_a_whole_statement_list_that_is_unknown_is_not_a_statement(run, catalog) -> None:
    policy = Policy({"Version": "2012-10-17", "Statement": unresolved("var.statements")}, LocationMap("main.tf"), "p")
    assert list(UnresolvedActions().check(policy, catalog)) == []
