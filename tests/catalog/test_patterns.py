"""The ARN matcher: Connect's nested ARNs exactly, IAM's `*` across colons, and a quick
rejection that never contradicts the full search."""

from __future__ import annotations

import random

import pytest

from auditor.catalog import patterns as P
from auditor.policy.values import Hole, Text

USER = "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/${UserId}"
LOG_GROUP = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"


@pytest.mark.parametrize("arn,fmt,strict,expected", [
    ("arn:aws:connect:us-east-1:123456789012:instance/abc/agent/*", USER, True, True),
    ("arn:aws:connect:us-east-1:123456789012:instance/abc/user/*", USER, True, False),
    ("arn:aws:connect:*:*:instance/*", USER, True, True),  # `*` covers the agents inside
    ("arn:aws:connect:us-east-1:123456789012:instance/abc", USER, True, False),
    ("arn:aws:logs:*:*:/aws-glue/*", LOG_GROUP, False, True),  # `*` stretches across colons
    ("arn:aws:s3:::bucket/*", LOG_GROUP, False, False),
])
def test_arn_matches_format(arn: str, fmt: str, strict: bool, expected: bool) -> None:
    assert P.arn_matches_format(arn, fmt, strict) is expected


def test_a_typed_hole_is_one_resource_not_everything_inside_it() -> None:
    instance = Text([Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")])
    assert not P.arn_matches_format(instance, USER, True)
    assert P.arn_matches_format(Text([instance, "/agent/*"]), USER, True)
    assert P.arn_matches_format(Text([Hole("var.arn")]), USER, True)  # unknown: could be anything


def test_quick_rejection_never_contradicts_the_full_search() -> None:
    rng = random.Random(11)
    pieces = {
        "partition": ["aws", "*", "aws-cn", "${aws:x}"],
        "service": ["connect", "logs", "s3", "*", "con*"],
        "region": ["us-east-1", "*", "", "${aws:PrincipalAccount}"],
        "account": ["123456789012", "*", "", "12*"],
        "resource": ["instance/*/agent/*", "instance/a/user/*", "log-group:x:*", "/aws-glue/*", "*", "bucket/*",
                     "instance/a", "agent*", "${aws:username}/*"],
    }
    formats = [USER, LOG_GROUP, "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
               "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}"]
    for _ in range(3000):
        arn = "arn:" + ":".join(rng.choice(pieces[k]) for k in ("partition", "service", "region", "account", "resource"))
        for fmt in formats:
            for strict in (False, True):
                full = P.intersects(P.policy_tokens(arn), P.format_tokens(fmt, strict))
                assert not (P._literals_disagree(arn, fmt) and full), (arn, fmt)
