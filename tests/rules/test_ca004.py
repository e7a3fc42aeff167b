"""CA004 on documents built directly: template holes in Sids and policy kinds."""

from __future__ import annotations

from typing import Any

from auditor.policy.model import LocationMap, Policy, PolicyKind
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA004_invalid_sid import InvalidSid, sid_suggestion


def run(sids: list[Any], kind: PolicyKind = PolicyKind.IDENTITY) -> list[tuple[tuple, str, str | None]]:
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": s, "Effect": "Allow", "Action": "connect:ListQueues", "Resource": "*"} for s in sids]}
    policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents", kind=kind)
    return [(f.path, f.level, f.suggestion) for f in InvalidSid().check(policy, None)]  # type: ignore[arg-type]


def test_holes_are_never_reported() -> None:
    # Two Sids from the same variable may well differ once resolved.
    assert run([unresolved("var.sid"), unresolved("var.sid")]) == []
    assert run([Text(["Allow", Hole("var.env")]), Text(["Allow", Hole("var.env")])]) == []


def test_literal_part_of_a_templated_sid_is_checked() -> None:
    found = run([Text(["allow-", Hole("var.env")])])
    assert found == [(("Statement", 0, "Sid"), "error", "use only letters and digits around the template value")]


def test_resource_and_session_policies_may_use_spaces() -> None:
    assert run(["Allow Connect to write recordings"], PolicyKind.RESOURCE) == []
    assert run(["Allow Connect"], PolicyKind.SESSION) == []
    assert run(["Allow Connect"], PolicyKind.SCP)[0][1] == "error"
    assert run(["Allow Connect"], PolicyKind.BOUNDARY)[0][1] == "error"


def test_duplicates_are_errors_in_iam_policies_and_warnings_in_resource_policies() -> None:
    assert [lvl for _, lvl, _ in run(["A", "A"], PolicyKind.TRUST)] == ["error"]
    assert [lvl for _, lvl, _ in run(["A", "A"], PolicyKind.RESOURCE)] == ["warning"]


def test_suggestion() -> None:
    assert sid_suggestion("allow connect-agents", set(), 0) == "AllowConnectAgents"
    assert sid_suggestion("---", set(), 3) == "Statement3"
    assert sid_suggestion("Read", {"Read", "Read2"}, 1) == "Read3"
