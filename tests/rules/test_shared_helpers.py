"""The helpers every rule shares (auditor/policy/*), on their own: one answer per question."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.catalog import key_matches
from auditor.policy.actions import (
    matching_prefixes,
    not_action_excludes,
    statements_allow_name,
    unresolved_action_element,
    written_actions,
)
from auditor.policy.arn import arn_context, example_arn, first_wildcard_in_resource, split_arn
from auditor.policy.conditions import condition_block_unresolved, condition_key_type, operator_negated
from auditor.policy.model import LocationMap, Policy, Statement
from auditor.policy.values import Hole, Text, unresolved
from auditor.policy.wording import summarise

INSTANCE = Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")


def statement(**data: Any) -> Statement:
    policy = Policy({"Version": "2012-10-17", "Statement": [data]}, LocationMap("p.json"), "p.json")
    return next(policy.statements())


@pytest.mark.parametrize("catalog_key,key,expected", [
    ("aws:ResourceTag/${TagKey}", "aws:resourcetag/Team", True),
    ("s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/Dept", True),
    ("secretsmanager:ResourceTag/tag-key", "secretsmanager:ResourceTag/Env", True),
    ("s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/", False),
    ("connect:InstanceId", "connect:InstanceIds", False),
])
def test_catalog_keys_with_any_placeholder(catalog_key: str, key: str, expected: bool) -> None:
    assert key_matches(catalog_key, key) is expected


def test_every_caller_gets_placeholder_keys(catalog) -> None:
    # The catalog itself answers, not only the condition rules' own lookup.
    assert catalog.condition_key_type("s3:ExistingObjectTag/Dept") == "String"
    assert condition_key_type(catalog, "s3:ExistingObjectTag/Dept") == "String"
    assert condition_key_type(catalog, "saml:aud") == "String"  # defined by sts
    assert condition_key_type(catalog, "connect:ResourceTag/Dept") is None


def test_not_action_literal_entries_count_beside_holes() -> None:
    st = statement(Effect="Allow", NotAction=["ds:*", unresolved("var.more")], Resource="*")
    assert not_action_excludes(st, "ds:CheckAlias") is True  # the literal entry names it, hole or not
    assert not_action_excludes(st, "iam:PassRole") is None  # the hole might
    st = statement(Effect="Allow", NotAction="ds:*", Resource="*")
    assert not_action_excludes(st, "DS:checkalias") is True
    assert not_action_excludes(st, "iam:PassRole") is False
    assert statements_allow_name([st], "iam:PassRole") and not statements_allow_name([st], "ds:CheckAlias")


def test_written_actions_skip_holes_and_prefix_globs(catalog) -> None:
    st = statement(Effect="Allow", Action=["connect:DescribeUser", Text(["ds:", Hole("var.verb")])], Resource="*")
    assert [(e, v) for e, v, _ in written_actions(st)] == [("Action", "connect:DescribeUser")]
    assert matching_prefixes("CONNECT", catalog) == ["connect"]
    assert "connect-campaigns" in matching_prefixes("connect*", catalog)
    assert matching_prefixes("conect", catalog) == []


def test_wholly_unresolved_action_elements() -> None:
    assert unresolved_action_element(statement(Effect="Allow", Action=unresolved("var.actions"), Resource="*")) == "Action"
    assert unresolved_action_element(statement(Effect="Deny", NotAction=unresolved("var.x"), Resource="*")) == "NotAction"
    assert unresolved_action_element(statement(Effect="Allow", Action=[unresolved("var.a"), unresolved("var.b")])) == "Action"
    # A list with a known entry says something; so does a hole with a known shape, or an empty list.
    assert unresolved_action_element(statement(Effect="Allow", Action=["connect:DescribeUser", unresolved("var.a")])) is None
    assert unresolved_action_element(statement(Effect="Allow", Action=[])) is None
    assert unresolved_action_element(statement(Effect="Allow", Action=Text(["connect:", Hole("var.v")]), Resource="*")) is None


def test_split_arn_keeps_variables_and_holes_whole() -> None:
    arn = split_arn("arn:aws:connect:us-east-1:${aws:PrincipalAccount}:instance/x/agent/*")
    assert arn is not None and arn.account == "${aws:PrincipalAccount}" and arn.resource == "instance/x/agent/*"
    assert split_arn("instance/x") is None and split_arn("arn:aws:s3") is None
    assert split_arn(Text([INSTANCE, "/queue/*"])) is None  # the hole stands for the six parts


def test_first_wildcard_counts_a_policy_variable_as_one_character() -> None:
    assert first_wildcard_in_resource("arn:aws:connect:*:*:instance/*") == 9
    assert first_wildcard_in_resource("arn:aws:s3:::${aws:username}*") == 1
    assert first_wildcard_in_resource(Text([INSTANCE, "/*"])) is None  # a hole first: unknown
    assert first_wildcard_in_resource(Text(["arn:aws:connect:*:", Hole("var.account"), ":instance/*"])) == 9
    assert first_wildcard_in_resource("*") is None


def test_one_example_arn_for_both_styles() -> None:
    fmt = "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/${UserId}"
    written = "arn:aws-cn:connect:cn-north-1:123456789012:instance/abc/user/*"
    assert example_arn(fmt, written=written, placeholders=False) == (
        "arn:aws-cn:connect:cn-north-1:123456789012:instance/abc/agent/*")
    assert example_arn(fmt, written=written) == "arn:aws-cn:connect:cn-north-1:123456789012:instance/abc/agent/*"
    assert example_arn(fmt, written="arn:aws:s3:::b") == "arn:aws:connect:<region>:<account-id>:instance/<instance-id>/agent/*"
    assert example_arn(fmt, written=Text([INSTANCE, "/user/*"])) == "${aws_connect_instance.main.arn}/agent/*"
    assert example_arn(fmt) == "arn:aws:connect:<region>:<account-id>:instance/<instance-id>/agent/*"


def test_arn_context_reads_literal_arns_only() -> None:
    st = statement(Effect="Allow", Action="connect:DescribeUser", Resource=[
        "arn:aws:connect:eu-west-2:${aws:PrincipalAccount}:instance/abc/agent/*",
        Text(["arn:aws:connect:us-east-1:", Hole("var.account"), ":instance/zzz"]),
        "arn:aws:s3:::bucket/*"])
    assert arn_context([st]) == {"connect": {"Partition": "aws", "Region": "eu-west-2", "InstanceId": "abc"},
                                 "s3": {"Partition": "aws"}}


def test_operators_and_unresolved_conditions() -> None:
    assert operator_negated("StringNotEquals") and operator_negated("ForAllValues:ArnNotLike")
    assert operator_negated("NotIpAddress") and not operator_negated("StringEqualsIfExists")
    assert operator_negated("StringNotEqual")  # no such operator, but it says Not
    assert not operator_negated("Null")
    assert condition_block_unresolved(statement(Effect="Allow", Condition=unresolved("var.c")))
    assert condition_block_unresolved(statement(Effect="Allow", Condition={"StringEquals": unresolved("var.c")}))
    assert not condition_block_unresolved(statement(Effect="Allow", Condition={"StringEquals": {"aws:x": "y"}}))


def test_summarise() -> None:
    assert summarise(["a", "b", "c"], None) == "a, b and c"
    assert summarise(["a", "b", "c"], 3, last=", ") == "a, b, c"
    assert summarise(list("abcd"), 3, last=", ") == "a, b, c and 1 more"
    assert summarise(["a", "b"], last=" or ") == "a or b"
