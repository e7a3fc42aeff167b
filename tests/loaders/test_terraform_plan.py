"""`terraform show -json` plans: addresses, unknown values, and locations borrowed from the
configuration when it is alongside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from auditor.loaders.base import LoadContext
from auditor.loaders.terraform import TerraformLoader
from auditor.loaders.terraform.detect import looks_like_plan
from auditor.policy.model import Attachment, Model, PolicyKind

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "terraform"


def load(folder: Path) -> Model:
    loader = TerraformLoader()
    paths = [p for p in sorted(folder.rglob("*")) if p.is_file() and loader.claims(p, p.read_bytes()[:4096])]
    model = Model()
    loader.load(paths, LoadContext(), model)
    return model


def test_a_plan_is_recognised_by_its_content() -> None:
    head = (FIXTURES / "plan-only" / "plan.json").read_bytes()[:4096]
    assert looks_like_plan(head)
    assert TerraformLoader().claims(Path("anything.json"), head)
    assert not looks_like_plan(b'{"Version": "2012-10-17", "Statement": []}')


def test_a_plan_alone(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "plan-only" / "plan.json", tmp_path / "plan.json")
    model = load(tmp_path)
    by_name = {p.name: p for p in model.policies}
    assert sorted(by_name) == [
        "aws_iam_policy.admin", "aws_iam_role.ops.assume_role_policy", "aws_iam_role.ops.inline_policy[0]",
        'module.connect.aws_iam_role_policy.agents["east"]']
    trust = by_name["aws_iam_role.ops.assume_role_policy"]
    assert (trust.kind, trust.attachment) == (PolicyKind.TRUST, Attachment.TRUST)
    agents = by_name['module.connect.aws_iam_role_policy.agents["east"]']
    assert agents.document["Statement"][0]["Action"] == ["connect:DeleteUser"]
    # Without the configuration, every value points at the policy string in the plan.
    span = agents.locations.value(("Statement", 0, "Action", 0))
    assert (span.line, span.column) == (69, 27)
    (note,) = model.notes
    assert "module.connect.aws_iam_policy.pending" in note[1] and "not known until apply" in note[1]
    ops = {r.name: r for r in model.principals}["aws_iam_role.ops"]
    assert ops.managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"]


def test_a_plan_with_its_configuration_points_at_the_tf_lines() -> None:
    model = load(FIXTURES / "plan-with-config")
    by_name = {p.name: p for p in model.policies}
    assert sorted(by_name) == ["aws_iam_policy.agents", "aws_iam_policy.later", "aws_iam_role.flow.assume_role_policy",
                               "aws_iam_role_policy.flow"]
    agents = by_name["aws_iam_policy.agents"]
    # The plan's value (the instance ARN is known)...
    assert agents.document["Statement"][0]["Resource"] == (
        "arn:aws:connect:eu-west-2:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/user/*")
    # ...at the configuration's place.
    span = agents.locations.value(("Statement", 0, "Resource"))
    assert (Path(span.file).name, span.line, span.column) == ("main.tf", 19, 18)
    # The provider reorders a document's actions: each is matched to its own line.
    flow = by_name["aws_iam_role_policy.flow"]
    assert flow.document["Statement"][0]["Action"] == [
        "connect:UpdateContactAttributes", "connect:GetContactAttributes", "connect:DescribeQueues"]
    lines = [flow.locations.value(("Statement", 0, "Action", i)).line for i in range(3)]
    assert lines == [49, 48, 50]
    # A one-item list the provider wrote as a string: located at the item.
    trust = by_name["aws_iam_role.flow.assume_role_policy"]
    assert trust.document["Statement"][0]["Action"] == "sts:AssumeRole"
    span = trust.locations.value(("Statement", 0, "Action"))
    assert (span.line, span.column) == (31, 16)
    # Unknown until apply: the configuration's evaluation (with its holes) stands in.
    later = by_name["aws_iam_policy.later"]
    assert str(later.document["Statement"][0]["Resource"]) == "${aws_connect_instance.main.arn}"


def test_a_plan_that_is_not_json_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"format_version": "1.2", "terraform_version": "1.7.5", ')
    model = load(tmp_path)
    ((span, message),) = model.input_errors
    assert message.startswith("cannot read the Terraform plan")


def test_state_output_is_read_too(tmp_path: Path) -> None:
    state = {"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": {"resources": [
        {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
         "values": {"policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "connect:ListQueues",
                                                         "Resource": "*"}]})}}]}}}
    (tmp_path / "state.json").write_text(json.dumps(state))
    (p,) = load(tmp_path).policies
    assert p.name == "aws_iam_policy.p" and p.document["Statement"][0]["Action"] == "connect:ListQueues"
