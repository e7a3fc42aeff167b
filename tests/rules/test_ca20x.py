"""CA201-CA205 and their helpers (auditor/policy/grants.py) on documents built directly:
template holes are never wildcards, and what counts as "every resource"."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.policy.arn import example_arn
from auditor.policy.grants import (
    covers_every_resource,
    grants_everywhere,
    is_literal_star,
    is_service_wildcard,
    types_to_name,
)
from auditor.policy.model import LocationMap, Policy
from auditor.policy.values import Hole, Text, unresolved
from auditor.policy.wording import summarise
from auditor.rules.CA201_service_wildcard import ServiceWildcard
from auditor.rules.CA202_sensitive_connect_action import SensitiveConnectAction
from auditor.rules.CA203_resource_star_restrictable import ResourceStarRestrictable
from auditor.rules.CA204_allow_with_not import AllowWithNot
from auditor.rules.CA205_privilege_escalation import PrivilegeEscalation

INSTANCE = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"
INSTANCE_HOLE = Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")
ROLE_HOLE = Hole("aws_iam_role.flow.arn", "arn:*:iam::*:role/*")
RULES = (ServiceWildcard, SensitiveConnectAction, ResourceStarRestrictable, AllowWithNot, PrivilegeEscalation)


def run(rule: type, statements: list[dict[str, Any]], catalog) -> list[tuple[tuple, str, str]]:
    policy = Policy({"Version": "2012-10-17", "Statement": statements}, LocationMap("main.tf"), "aws_iam_policy.x")
    return [(f.path, f.level, f.message) for f in rule().check(policy, catalog)]


# --- holes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_holes_are_never_wildcards(rule, catalog) -> None:
    statements = [
        # A wholly unresolved Resource is not "*", a wholly unresolved Action list not "connect:*".
        {"Effect": "Allow", "Action": ["connect:DeleteInstance", "iam:PassRole", "connect:DescribeUser"],
         "Resource": unresolved("var.resources")},
        {"Effect": "Allow", "Action": unresolved("var.actions"), "Resource": "*"},
        {"Effect": "Allow", "Action": [unresolved("var.action")], "Resource": "*"},
        # Holes whose pattern has a `*` stand for one resource, not all of them.
        {"Effect": "Allow", "Action": ["connect:UpdateSecurityProfile", "connect:AdminGetEmergencyAccessToken"],
         "Resource": [Text([INSTANCE_HOLE]), Text([INSTANCE_HOLE, "/security-profile/*"])]},
        {"Effect": "Allow", "Action": ["iam:PassRole", "iam:PutRolePolicy"], "Resource": Text([ROLE_HOLE])},
        # Region and account from the template, the instance id too.
        {"Effect": "Allow", "Action": "connect:DeleteInstance",
         "Resource": Text(["arn:aws:connect:", Hole("var.region"), ":", Hole("local.account"), ":instance/",
                           Hole("var.instance_id")])},
        # A Deny whose NotAction is unresolved is a guardrail; an Allow's is CA204's only.
        {"Effect": "Deny", "NotAction": unresolved("var.allowed"), "Resource": "*"},
    ]
    assert run(rule, statements, catalog) == []


def test_a_literal_wildcard_after_template_holes_still_counts(catalog) -> None:
    # `arn:aws:connect:${var.region}:${account}:instance/*` is every instance, whatever the region.
    arn = Text(["arn:aws:connect:", Hole("var.region"), ":", Hole("local.account"), ":instance/*"])
    found = run(SensitiveConnectAction, [{"Effect": "Allow", "Action": "connect:DeleteInstance", "Resource": arn}],
                catalog)
    assert [(p, lvl) for p, lvl, _ in found] == [(("Statement", 0, "Action"), "warning")]


def test_allow_with_unresolved_not_action_is_still_reported(catalog) -> None:
    found = run(AllowWithNot, [{"Effect": "Allow", "NotAction": unresolved("var.excluded"), "Resource": "*"}], catalog)
    assert found == [(("Statement", 0, "NotAction"), "error",
                      "Allow with NotAction grants every action of every AWS service but those NotAction lists on "
                      "every resource, and any action AWS adds later: this is close to administrator access.")]
    # ... but it does not say which sensitive or escalation actions it leaves granted.
    statements = [{"Effect": "Allow", "NotAction": unresolved("var.excluded"), "Resource": "*"}]
    assert run(SensitiveConnectAction, statements, catalog) == []
    assert run(PrivilegeEscalation, statements, catalog) == []


# --- helpers ------------------------------------------------------------------------------------------
def test_literal_star_and_service_wildcards() -> None:
    assert is_literal_star("*") and is_literal_star(" * ")
    assert not is_literal_star(unresolved("var.resource")) and not is_literal_star(Text(["*", Hole("x")]))
    for text in ("*", "*:*", "connect:*", "connect*:*", " profile:* "):
        assert is_service_wildcard(text), text
    for text in ("connect:Describe*", "connect:*User*", "connect", ":*", unresolved("var.actions")):
        assert not is_service_wildcard(text), text


@pytest.mark.parametrize("arn,expected", [
    ("*", True),
    ("arn:aws:connect:us-east-1:123456789012:instance/*", True),
    ("arn:aws:connect:*:*:instance/*/queue/*", True),
    ("arn:aws:connect:us-east-1:123456789012:*", True),
    ("arn:aws:connect:us-east-1:123456789012:instance*", True),
    (INSTANCE, False),
    (INSTANCE + "/queue/*", False),
    ("arn:aws:connect:*:*:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/*", False),
    ("arn:aws:connect:us-east-1:123456789012:instance/${aws:PrincipalTag/instance}/*", False),
])
def test_covers_every_connect_resource(arn: str, expected: bool) -> None:
    formats = ["arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}",
               "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/queue/${QueueId}"]
    assert covers_every_resource(arn, formats) is expected


@pytest.mark.parametrize("arn,expected", [
    ("arn:aws:iam::123456789012:role/*", True),
    ("arn:aws:iam::*:role/*admin*", False),  # a name pattern, not every role
    ("arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*", False),
    ("arn:aws:iam::123456789012:role/contact-centre/*", False),
    ("arn:aws:iam::123456789012:role/connect-*", False),
    ("arn:aws:s3:::contact-centre-recordings/*", False),  # no role ARN: grants PassRole nothing
])
def test_pass_role_everywhere(arn: str, expected: bool, catalog) -> None:
    assert grants_everywhere(catalog.action("iam:PassRole"), arn, catalog) is expected


def test_bucket_wildcards_follow_the_format(catalog) -> None:
    get = catalog.action("s3:GetObject")
    assert grants_everywhere(get, "arn:aws:s3:::*", catalog)
    assert grants_everywhere(get, "arn:aws:s3:::*/recordings/*", catalog)
    assert not grants_everywhere(get, "arn:aws:s3:::contact-centre-recordings/*", catalog)
    # An action that accepts only "*" is granted by "*" alone.
    assert grants_everywhere(catalog.action("connect:ListInstances"), "*", catalog)
    assert not grants_everywhere(catalog.action("connect:ListInstances"), INSTANCE, catalog)


def test_summaries_and_examples(catalog) -> None:
    assert summarise([]) == "" and summarise(["a"]) == "a" and summarise(["a", "b"]) == "a and b"
    assert summarise(list("abcdefg"), 5) == "a, b, c, d, e and 2 more"
    fmt = "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/${UserId}"
    assert example_arn(fmt) == "arn:aws:connect:<region>:<account-id>:instance/<instance-id>/agent/*"
    assert example_arn(fmt, {"Region": "eu-west-2", "InstanceId": "abc"}) == (
        "arn:aws:connect:eu-west-2:<account-id>:instance/abc/agent/*")
    assert example_arn("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}") == (
        "arn:aws:iam::<account-id>:role/<role-name-with-path>")
    assert [t.name for t in types_to_name(catalog.action("s3:GetObject"))] == ["object"]
    assert [t.name for t in types_to_name(catalog.action("s3:ListBucket"))] == ["bucket"]
    assert {t.name for t in types_to_name(catalog.action("connect:CreateUser"))} == {
        "user", "routing-profile", "security-profile"}


# --- decisions worth pinning ------------------------------------------------------------------------
def test_boundaries_scps_and_trust_policies_are_skipped() -> None:
    for rule in (ServiceWildcard, SensitiveConnectAction, ResourceStarRestrictable, PrivilegeEscalation):
        assert rule.kinds == ("identity",)
    assert AllowWithNot.kinds == ("identity", "resource")


def test_configured_level_wins(catalog) -> None:
    statements = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    policy = Policy({"Statement": statements}, LocationMap("x.json"), "x")
    assert [f.level for f in ServiceWildcard().check(policy, catalog)] == ["error"]
    assert [f.level for f in ServiceWildcard(level="note").check(policy, catalog)] == ["note"]


def test_an_unresolved_condition_confines(catalog) -> None:
    # A Condition the template could not resolve may well name iam:PassedToService.
    for condition in (unresolved("var.condition"),
                      {"StringEquals": unresolved("local.pass_to")},
                      {"StringEquals": {"iam:PassedToService": unresolved("var.service")}}):
        statements = [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": condition}]
        assert run(PrivilegeEscalation, statements, catalog) == [], condition
        assert run(SensitiveConnectAction, [{"Effect": "Allow", "Action": "connect:DeleteInstance",
                                             "Resource": "*", "Condition": condition}], catalog) == []
    # ... and a wholly unresolved Condition may limit the resources that "*" names.
    for condition in (unresolved("var.condition"), {"StringEquals": unresolved("local.tags")}):
        assert run(ResourceStarRestrictable, [{"Effect": "Allow", "Action": "connect:DescribeQueue",
                                               "Resource": "*", "Condition": condition}], catalog) == []


def test_not_resource_grants_everything_else_unless_it_excludes_everything(catalog) -> None:
    grant = {"Effect": "Allow", "Action": ["connect:DeleteInstance", "iam:PassRole"],
             "NotResource": INSTANCE}
    assert [p for p, _, _ in run(SensitiveConnectAction, [grant], catalog)] == [("Statement", 0, "Action", 0)]
    assert [p for p, _, _ in run(PrivilegeEscalation, [grant], catalog)] == [("Statement", 0, "Action", 1)]
    nothing = dict(grant, NotResource=["arn:aws:connect:*:*:instance/*", "arn:aws:iam::*:role/*"])
    assert run(SensitiveConnectAction, [nothing], catalog) == []
    assert run(PrivilegeEscalation, [nothing], catalog) == []
