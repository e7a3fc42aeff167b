"""CA104 on documents built directly: template holes (whose expressions may hold colons),
policy variables, and the example-account option."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.arn import UNKNOWN, arn_fields, arn_service_shape, is_arn_service
from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA104_invalid_arn import InvalidArn

INSTANCE = Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")


@pytest.fixture
def run(catalog):
    def _run(resource: Any, options: dict[str, Any] | None = None, condition: Any = None) -> list[tuple[str, str]]:
        st: dict[str, Any] = {"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": resource}
        if condition is not None:
            st["Condition"] = condition
        policy = Policy({"Version": "2012-10-17", "Statement": [st]}, LocationMap("main.tf"), "aws_iam_policy.x")
        return [(f.level, f.message) for f in InvalidArn(options=options).check(policy, catalog)]
    return _run


def test_holes_are_never_an_invalid_arn(run) -> None:
    assert run(unresolved("var.resources")) == []
    assert run(Text([INSTANCE, "/agent/*"])) == []
    # CloudFormation pseudo parameters hold colons in their expression.
    assert run(Text(["arn:aws:connect:", Hole("AWS::Region"), ":", Hole("AWS::AccountId"), ":instance/",
                     Hole("InstanceId"), "/agent/*"])) == []
    assert run(Text(["arn:", Hole("var.partition"), ":connect:us-east-1:123456789012:instance/*"])) == []
    assert run(Text(["arn:aws:", Hole("var.service"), ":us-east-1:123456789012:thing/*"])) == []
    # A hole that may hold colons: the number of parts is unknown.
    assert run(Text(["arn:aws:connect:", Hole("var.rest")])) == []
    assert run(Text([Hole("var.arn_prefix"), ":instance/*"])) == []


def test_known_parts_beside_a_hole_are_still_checked(run) -> None:
    [(level, message)] = run(Text(["arn:aws:connect:", Hole("var.region"), ":accountID:instance/*"]))
    assert level == "error" and "`accountID`" in message and "placeholder" in message
    [(_, message)] = run(Text(["arn:aws:appintegrations:", Hole("var.region"), ":123456789012:event-integration/x"]))
    assert "`appintegrations`" in message


def test_policy_variables_count_as_anything(run) -> None:
    assert run("arn:aws:connect:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*") == []
    assert run("arn:aws:iam::123456789012:user/${aws:username}") == []


def test_example_accounts_are_valid_unless_asked(run) -> None:
    arn = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"
    assert run(arn) == []
    [(level, message)] = run(arn, {"flag_example_accounts": True})
    assert level == "note" and "example account" in message


def test_condition_values_that_are_not_arns_are_left_alone(run) -> None:
    cond = {"ArnLike": {"aws:SourceArn": ["*", "arn:aws:connect:us-east-1:ACCOUNT_ID:instance/*"]},
            "StringEquals": {"aws:SourceAccount": "accountID"}}
    [(_, message)] = run("*", condition=cond)
    assert "`ACCOUNT_ID`" in message


def test_arn_fields_keep_variables_and_holes_whole() -> None:
    f = arn_fields("arn:aws:connect:us-east-1:${aws:PrincipalAccount}:instance/x:y")
    assert f.fields == ("arn", "aws", "connect", "us-east-1", "${aws:PrincipalAccount}", "instance/x:y")
    f = arn_fields(Text(["arn:aws:connect:us-east-1:", Hole("AWS::AccountId"), ":instance/x"]))
    assert f.fields[4] == UNKNOWN and not f.count_known
    f = arn_fields(Text([INSTANCE, "/queue/*"]))
    assert f.fields == ("arn", "*", "connect", "*", "*", "instance/*/queue/*") and f.count_known


def test_arn_services_come_from_the_catalogs_formats(catalog) -> None:
    assert is_arn_service(catalog, "catalog")  # Service Catalog's ARNs, not an IAM prefix
    assert is_arn_service(catalog, "app-integrations")
    assert not is_arn_service(catalog, "appintegrations")
    assert not is_arn_service(catalog, "Connect")
    connect = arn_service_shape(catalog, "connect")
    assert connect is not None and connect.regional and not connect.account_optional
    iam = arn_service_shape(catalog, "iam")
    assert iam is not None and iam.global_
    s3 = arn_service_shape(catalog, "s3")
    assert s3 is not None and s3.account_optional and not s3.regional


def test_arn_keys_of_other_services_are_checked_too(run) -> None:
    # identitycenter:InstanceArn is defined under another prefix: the shared key lookup
    # (auditor.policy.conditions.condition_key_type) knows its type is ARN.
    cond = {"ArnEquals": {"identitycenter:InstanceArn": "arn:aws:sso:::instance/ssoins-1", "aws:SourceArn": "arn:aws:sso"}}
    assert [m.split("`")[1] for _, m in run("*", condition=cond)] == ["arn:aws:sso"]
    cond = {"ArnEquals": {"identitycenter:InstanceArn": "arn:aws:sso::accountID:instance/ssoins-1"}}
    [(_, message)] = run("*", condition=cond)
    assert "`accountID`" in message
