"""CA002 on documents built directly, with unresolved template values (Text holes)."""

from __future__ import annotations

from typing import Any

from auditor.policy.model import LocationMap, Policy, PolicyKind
from auditor.policy.values import Text, Hole, unresolved
from auditor.rules.CA002_invalid_policy_structure import InvalidPolicyStructure

INSTANCE = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"


def run(doc: Any, kind: PolicyKind = PolicyKind.IDENTITY) -> list[tuple[tuple, str]]:
    policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents", kind=kind)
    return [(f.path, f.message) for f in InvalidPolicyStructure().check(policy, None)]  # type: ignore[arg-type]


def statement(**extra: Any) -> dict[str, Any]:
    st: dict[str, Any] = {"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": INSTANCE + "/agent/*"}
    st.update(extra)
    return st


def test_holes_are_never_reported() -> None:
    assert run(unresolved("data.aws_iam_policy_document.x.json")) == []
    assert run({"Version": "2012-10-17", "Statement": unresolved("var.statements")}) == []
    assert run({"Version": "2012-10-17", "Statement": [unresolved("var.extra_statement")]}) == []
    doc = {"Version": "2012-10-17", "Statement": [statement(
        Effect=unresolved("var.effect"),
        Action=unresolved("var.actions"),
        Resource=[Text([Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"), "/agent/*"])],
        Condition=unresolved("local.conditions"),
    )]}
    assert run(doc) == []
    doc = {"Version": "2012-10-17", "Statement": [statement(Condition={"StringEquals": unresolved("local.tags")})]}
    assert run(doc) == []
    doc = {"Version": "2012-10-17", "Statement": [statement(Sid=Text(["Allow", Hole("var.env")]))]}
    assert run(doc) == []


def test_hole_in_a_list_entry_is_not_a_wrong_type() -> None:
    doc = {"Version": "2012-10-17", "Statement": [statement(Action=["connect:ListQueues", unresolved("var.more")])]}
    assert run(doc) == []


def test_trust_policy_principal_hole_is_fine_and_missing_principal_is_reported() -> None:
    ok = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": unresolved("var.principal"), "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": unresolved("aws_iam_role.admin.arn")}, "Action": "sts:AssumeRole"},
    ]}
    assert run(ok, PolicyKind.TRUST) == []
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    assert run(bad, PolicyKind.TRUST) == [
        (("Statement", 0), "the statement has no Principal: a role trust policy must name who may assume the role")]


def test_resource_policy_needs_a_principal_but_no_resource_check_for_identity_rules() -> None:
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::amazon-connect-recordings-123456789012/*"}]}
    assert run(doc, PolicyKind.RESOURCE) == [
        (("Statement", 0), "the statement has no Principal: a resource-based policy must name whom it grants or denies access")]


def test_scp_may_omit_resource_but_not_name_a_principal() -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "connect:DeleteInstance"}]}
    assert run(doc, PolicyKind.SCP) == []
    doc["Statement"][0]["Principal"] = "*"
    assert [p for p, _ in run(doc, PolicyKind.SCP)] == [("Statement", 0, "Principal")]


def test_single_statement_object_and_lone_statement_with_version() -> None:
    assert run({"Version": "2012-10-17", "Statement": statement()}) == []
    found = run({"Version": "2012-10-17", **statement()})
    assert found == [((), "the document is a single statement without its policy wrapper: IAM rejects it")]


def test_misspelt_element_does_not_also_count_as_missing() -> None:
    found = run({"Version": "2012-10-17", "Statement": [{"Effects": "Allow", "Actions": ["connect:ListUsers"],
                                                         "Resources": INSTANCE}]})
    assert [p[-1] for p, _ in found] == ["Effects", "Actions", "Resources"]


def test_lone_statement_is_not_judged_by_a_guessed_kind() -> None:
    # A bucket-policy statement copied alone: the loader cannot tell its kind.
    lone = {"Sid": "ConnectRecordings", "Effect": "Allow", "Principal": {"Service": "connect.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": "arn:aws:s3:::amazon-connect-recordings-123456789012/*"}
    assert run(lone) == [((), "the document is a single statement without its policy wrapper: IAM rejects it")]
