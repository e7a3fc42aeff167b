"""CA005: quotas by attachment, the trust-policy option, template holes and inline aggregates."""

from __future__ import annotations

from typing import Any

from auditor.policy.model import Attachment, LocationMap, Model, Policy, PolicyKind, PrincipalRecord, Span
from auditor.policy.size import json_size
from auditor.policy.values import Hole, Text, unresolved
from auditor.rules.CA005_policy_too_large import PolicyTooLarge

INSTANCE = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"


def doc_of(chars: int) -> dict[str, Any]:
    """A policy of exactly `chars` characters without white space."""
    base = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": [INSTANCE + "/queue/"]}]}
    pad = chars - json_size(base).chars
    assert pad >= 0
    base["Statement"][0]["Resource"][0] += "q" * pad
    assert json_size(base).chars == chars
    return base


def policy(doc: Any, name: str = "p", kind: PolicyKind = PolicyKind.IDENTITY,
           attachment: Attachment = Attachment.UNKNOWN) -> Policy:
    return Policy(doc, LocationMap("main.tf"), name, kind=kind, attachment=attachment)


def messages(p: Policy, **options: Any) -> list[str]:
    return [f.message for f in PolicyTooLarge(options=options).check(p, None)]  # type: ignore[arg-type]


def test_quota_by_attachment() -> None:
    for attachment, limit in [(Attachment.MANAGED, 6144), (Attachment.UNKNOWN, 6144), (Attachment.ROLE_INLINE, 10240),
                              (Attachment.USER_INLINE, 2048), (Attachment.GROUP_INLINE, 5120)]:
        assert messages(policy(doc_of(limit), attachment=attachment)) == [], attachment
        found = messages(policy(doc_of(limit + 1), attachment=attachment))
        assert len(found) == 1 and f"{limit:,}-character" in found[0], attachment
    assert "not known" not in messages(policy(doc_of(6145), attachment=Attachment.MANAGED))[0]
    assert messages(policy(doc_of(6145), kind=PolicyKind.BOUNDARY))


def levels(p: Policy) -> list[str]:
    return [f.level for f in PolicyTooLarge().check(p, None)]  # type: ignore[arg-type]


def test_unknown_attachment_is_an_error_only_over_every_quota() -> None:
    # A bare policy file: over the managed quota it still fits as a role's inline policy.
    assert levels(policy(doc_of(6144))) == []
    [warning] = messages(policy(doc_of(6822)))
    assert levels(policy(doc_of(6822))) == ["warning"]
    assert "how it is attached is not known" in warning and "fits only as an inline policy of a role" in warning
    assert levels(policy(doc_of(10240))) == ["warning"]
    [error] = messages(policy(doc_of(10241)))
    assert levels(policy(doc_of(10241))) == ["error"] and "over every IAM size quota" in error
    # A known attachment keeps its own quota and level.
    assert levels(policy(doc_of(6822), attachment=Attachment.MANAGED)) == ["error"]
    # The user's level setting wins over both.
    assert [f.level for f in PolicyTooLarge(level="note").check(policy(doc_of(6822)), None)] == ["note"]  # type: ignore[arg-type]


def test_trust_policy_quota_is_configurable() -> None:
    trust = policy(doc_of(3000), kind=PolicyKind.TRUST)
    assert "2,048-character quota for a role trust policy" in messages(trust)[0]
    assert messages(trust, trust_policy_max=4096) == []
    assert "as set by trust_policy_max" in messages(policy(doc_of(8200), kind=PolicyKind.TRUST), trust_policy_max=8192)[0]


def test_holes_give_a_lower_bound_and_never_a_false_report() -> None:
    doc = doc_of(6000)
    # A hole might be long, but only known characters count: still under the quota, no finding.
    doc["Statement"][0]["Resource"].append(Text([Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"), "/queue/*"]))
    doc["Statement"][0]["Action"] = [doc["Statement"][0]["Action"], unresolved("var.extra_actions")]
    size = json_size(doc)
    assert not size.exact and size.chars < 6144
    assert messages(policy(doc)) == []
    big = doc_of(7000)
    big["Statement"].append(unresolved("var.more"))
    found = messages(policy(big))
    assert len(found) == 1 and "at least 7,0" in found[0] and "unresolved template values not counted" in found[0]


def test_whole_document_unresolved_is_silent() -> None:
    assert messages(policy(unresolved("data.aws_iam_policy_document.x.json"))) == []


def model_with(principal_kind: str, sizes: dict[str, int], attachment: Attachment) -> Model:
    model = Model()
    for name, chars in sizes.items():
        model.policies.append(policy(doc_of(chars), name=name, attachment=attachment))
    model.principals.append(PrincipalRecord(principal_kind, f"aws_iam_{principal_kind}.agents",
                                            span=Span("main.tf", 3, 1, 3, 30), inline_policies=list(sizes)))
    return model


def aggregate(model: Model) -> list[Any]:
    return list(PolicyTooLarge().check_model(model, None))  # type: ignore[arg-type]


def test_role_inline_policies_are_summed() -> None:
    under = model_with("role", {"a": 5000, "b": 5240}, Attachment.ROLE_INLINE)
    assert aggregate(under) == []
    over = model_with("role", {"a": 5000, "b": 5041, "c": 300}, Attachment.ROLE_INLINE)
    [f] = aggregate(over)
    assert f.message.startswith("the inline policies of role aws_iam_role.agents are 10,341 characters long together")
    assert "(b 5,041, a 5,000, c 300)" in f.message and "10,240-character quota" in f.message
    assert f.location() == Span("main.tf", 3, 1, 3, 30) and f.resource == "aws_iam_role.agents"


def test_group_and_user_aggregates() -> None:
    assert len(aggregate(model_with("group", {"a": 3000, "b": 2200}, Attachment.GROUP_INLINE))) == 1
    assert aggregate(model_with("group", {"a": 3000, "b": 2120}, Attachment.GROUP_INLINE)) == []
    assert len(aggregate(model_with("user", {"a": 1000, "b": 1100}, Attachment.USER_INLINE))) == 1


def test_one_policy_over_the_quota_alone_is_not_reported_twice() -> None:
    model = model_with("user", {"a": 3000, "b": 500}, Attachment.USER_INLINE)
    assert aggregate(model) == []
    assert len(messages(model.policies[0])) == 1


def test_inline_policy_of_unknown_attachment_gets_the_principal_quota() -> None:
    # The loader knew the principal but not the attachment: check() applies the managed quota,
    # the aggregate applies the user's.
    model = model_with("user", {"a": 3000}, Attachment.UNKNOWN)
    assert messages(model.policies[0]) == []
    [f] = aggregate(model)
    assert f.message.startswith("the inline policy of user aws_iam_user.agents is 3,000 characters long")


def test_variants_count_once_at_their_largest() -> None:
    model = model_with("user", {"a": 1000, "b": 900}, Attachment.USER_INLINE)
    model.policies.append(policy(doc_of(1100), name="b", attachment=Attachment.USER_INLINE))
    [f] = aggregate(model)
    assert "2,100 characters" in f.message


# --- a principal's inline policies are looked up where the principal is ----------------------------
def cfn_model(files: dict[str, dict[str, int]], kind: str = "role", lid: str = "Role0") -> Model:
    """One principal `lid` per template, with inline policies of the given sizes; every template
    uses the same logical ids, as stacks made from one pattern do."""
    model = Model()
    for file, sizes in files.items():
        for name, chars in sizes.items():
            model.policies.append(Policy(doc_of(chars), LocationMap(file), name, attachment=Attachment.ROLE_INLINE))
        model.principals.append(PrincipalRecord(kind, lid, span=Span(file, 4, 3, 4, 8), inline_policies=list(sizes)))
    return model


def test_templates_sharing_logical_ids_are_not_summed_together() -> None:
    # Each role is under the quota; a name-only match would take the other stack's larger policy.
    model = cfn_model({"eu.yaml": {"Role0.Policies[0]": 6000, "Role0.Policies[1]": 700},
                       "us.yaml": {"Role0.Policies[0]": 700, "Role0.Policies[1]": 6000}})
    assert aggregate(model) == []
    model = cfn_model({"eu.yaml": {"Role0.Policies[0]": 5400, "Role0.Policies[1]": 5400},
                       "us.yaml": {"Role0.Policies[0]": 700, "Role0.Policies[1]": 700}})
    [f] = aggregate(model)
    assert f.location().file == "eu.yaml" and "10,800 characters" in f.message


def test_terraform_policies_match_within_their_module_folder() -> None:
    model = Model()
    for root in ("eu", "us"):
        # The role in main.tf, its inline policies in iam.tf of the same module.
        model.policies.append(Policy(doc_of(5400), LocationMap(f"{root}/iam.tf"), "aws_iam_role_policy.queues",
                                     attachment=Attachment.ROLE_INLINE))
        model.principals.append(PrincipalRecord("role", "aws_iam_role.agents", span=Span(f"{root}/main.tf", 1, 1, 1, 30),
                                                inline_policies=["aws_iam_role_policy.queues", "aws_iam_role_policy.more"]))
    model.policies.append(Policy(doc_of(5000), LocationMap("eu/iam.tf"), "aws_iam_role_policy.more",
                                 attachment=Attachment.ROLE_INLINE))
    [f] = aggregate(model)
    assert f.location().file == "eu/main.tf" and "10,400 characters" in f.message


def test_a_principal_known_only_by_name_uses_the_one_place_that_has_its_policies() -> None:
    model = cfn_model({"a.tf": {"aws_iam_role_policy.p": 6000, "aws_iam_role_policy.q": 5000}})
    model.principals[0].span = None
    assert len(aggregate(model)) == 1
    # The same names in two places: which ones are meant is not known, so nothing is summed.
    model = cfn_model({"a/main.tf": {"aws_iam_role_policy.p": 6000, "aws_iam_role_policy.q": 5000},
                       "b/main.tf": {"aws_iam_role_policy.p": 6000, "aws_iam_role_policy.q": 5000}})
    for principal in model.principals:
        principal.span = None
    assert aggregate(model) == []


def test_the_aggregate_is_linear_in_the_model(monkeypatch) -> None:
    import auditor.rules.CA005_policy_too_large as ca005

    calls = []
    real = ca005.json_size
    monkeypatch.setattr(ca005, "json_size", lambda doc: calls.append(1) or real(doc))
    stacks = 3000
    model = cfn_model({f"stack{i}.yaml": {"Role0.Policies[0]": 300} for i in range(stacks)})
    assert aggregate(model) == []
    assert len(calls) == stacks  # each policy measured once, never against the other stacks
