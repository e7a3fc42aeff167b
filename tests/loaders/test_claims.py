"""Each file goes to the one loader that reads it, whatever the order the loaders are offered
it: templates to CloudFormation, plans and the policy files `file()`/`templatefile()`/
`fileset()` read to Terraform (audited once), other policy JSON to PolicyJsonLoader."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from auditor.engine import collect_files, default_loaders, load_model
from auditor.loaders.base import LoadContext
from auditor.loaders.claims import CLOUDFORMATION, POLICY_JSON, TERRAFORM, Inputs
from auditor.loaders.terraform.detect import ANY, json_patterns
from auditor.policy.model import Model

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]}\n'
TEMPLATE = ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", '
            '"Properties": {"PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "connect:ListUsers", '
            '"Resource": "*"}}}}}}\n')
MAIN_TF = '''resource "aws_iam_policy" "read" {
  name   = "read"
  policy = file("${path.module}/policies/read.json")
}

resource "aws_iam_role_policy" "tpl" {
  role   = "r"
  policy = templatefile("${path.module}/policies/tpl.json", { queue = "q" })
}

resource "aws_iam_policy" "many" {
  for_each = fileset("${path.module}/many", "*.json")
  name     = each.value
  policy   = file("${path.module}/many/${each.value}")
}
'''


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def mixed(root: Path) -> None:
    """A folder holding every kind of input side by side."""
    write(root, {
        "infra/main.tf": MAIN_TF,
        "infra/policies/read.json": POLICY,
        "infra/policies/tpl.json": POLICY.replace('"*"', '"arn:aws:connect:*:*:instance/*/queue/${queue}"'),
        "infra/policies/standalone.json": POLICY,  # beside Terraform, but nothing reads it
        "infra/many/a.json": POLICY,
        "infra/many/b.json": POLICY,
        "infra/stack.json": TEMPLATE,  # a JSON template beside .tf files
        "infra/stack.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n"
                            "    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
                            "        Statement:\n          Effect: Allow\n          Action: connect:ListUsers\n"
                            "          Resource: '*'\n",
        "policies/loose.json": POLICY,
        "package.json": '{"name": "x", "version": "1.0.0"}\n',
    })
    (root / "plans").mkdir()
    shutil.copy(FIXTURES / "terraform" / "plan-only" / "plan.json", root / "plans" / "plan.json")


EXPECTED_READERS = {
    "infra/main.tf": TERRAFORM,
    "infra/policies/read.json": TERRAFORM,
    "infra/policies/tpl.json": TERRAFORM,
    "infra/many/a.json": TERRAFORM,
    "infra/many/b.json": TERRAFORM,
    "plans/plan.json": TERRAFORM,
    "infra/stack.json": CLOUDFORMATION,
    "infra/stack.yaml": CLOUDFORMATION,
    "infra/policies/standalone.json": POLICY_JSON,
    "policies/loose.json": POLICY_JSON,
    "package.json": None,
}


def claimants(root: Path, order: tuple[int, ...] = (0, 1, 2)) -> dict[str, list[str]]:
    files, explicit = collect_files([root], Model())
    loaders = default_loaders(explicit, files)
    loaders = [loaders[i] for i in order]
    return {f.relative_to(root).as_posix(): [ld.name for ld in loaders if ld.claims(f, f.read_bytes()[:4096])]
            for f in files}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_in_a_mixed_folder_each_file_has_one_reader_whatever_the_order(tmp_path: Path,
                                                                       order: tuple[int, ...]) -> None:
    mixed(tmp_path)
    got = claimants(tmp_path, order)
    assert got == {f: [k] if k else [] for f, k in EXPECTED_READERS.items()}


def test_a_mixed_folder_audits_each_policy_once(tmp_path: Path) -> None:
    mixed(tmp_path)
    model = load_model([tmp_path], LoadContext())
    assert model.input_errors == []
    by_name = {p.name: p for p in model.policies if not p.file.endswith("stack.yaml")}
    files = sorted(Path(p.file).relative_to(tmp_path).as_posix() for p in model.policies)
    assert files == [
        "infra/main.tf", "infra/main.tf", "infra/main.tf", "infra/main.tf",  # read, tpl, many["a.json"], many["b.json"]
        "infra/policies/standalone.json", "infra/stack.json", "infra/stack.yaml",
        "plans/plan.json", "plans/plan.json", "plans/plan.json", "plans/plan.json",
        "policies/loose.json",
    ]
    # The files Terraform reads are audited as the resources that read them, located in them.
    for name, file in [("aws_iam_policy.read", "read.json"), ('aws_iam_policy.many["a.json"]', "a.json"),
                       ('aws_iam_policy.many["b.json"]', "b.json"), ("aws_iam_role_policy.tpl", "tpl.json")]:
        span = by_name[name].locations.value(("Statement", 0, "Action"))
        assert Path(span.file).name == file
    assert str(by_name["aws_iam_role_policy.tpl"].document["Statement"][0]["Resource"]).endswith("/queue/q")


def test_a_json_template_beside_terraform_is_a_template(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'locals {\n  t = file("stack.json")\n}\n', "stack.json": TEMPLATE})
    inputs = Inputs([tmp_path / "main.tf", tmp_path / "stack.json"])
    # Even when Terraform reads it (aws_cloudformation_stack's template_body): it holds no IAM
    # document Terraform would audit, and its policies are CloudFormation's.
    assert inputs.reader(tmp_path / "stack.json", TEMPLATE.encode()) == CLOUDFORMATION


@pytest.mark.parametrize("name, head, reader", [
    ("main.tf", b"", TERRAFORM),
    ("main.tf.json", b'{"resource": {"aws_cloudformation_stack": {"s": {"template_body": '
                     b'"{\\"AWSTemplateFormatVersion\\": \\"2010-09-09\\"}"}}}}', TERRAFORM),
    ("prod.tfvars", b"", TERRAFORM),
    ("plan.json", b'{"format_version":"1.2","terraform_version":"1.7.5","planned_values":{"x": '
                  b'"AWSTemplateFormatVersion Resources"}}', TERRAFORM),
    ("stack.json", TEMPLATE.encode(), CLOUDFORMATION),
    ("stack.template", b"Resources:\n  R:\n    Type: AWS::IAM::Role\n", CLOUDFORMATION),
    ("policy.json", POLICY.encode(), POLICY_JSON),
    ("statement.json", b'{"Effect": "Allow", "Action": "s3:GetObject"}', POLICY_JSON),
    ("package.json", b'{"name": "x"}', None),
    ("policy.json.expected.json", POLICY.encode(), None),
    ("expected.json", b'{"findings": [], "Statement": 1}', None),
    ("policy.yaml", b"Statement: []\n", None),
])
def test_readers_by_name_and_content(tmp_path: Path, name: str, head: bytes, reader: str | None) -> None:
    assert Inputs().reader(tmp_path / name, head) == reader


def test_a_file_named_on_its_own_is_read_even_when_it_does_not_look_like_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    assert Inputs(explicit={path}).reader(path, b'{"x": 1}') == POLICY_JSON
    assert Inputs().reader(path, b'{"x": 1}') is None


def test_a_root_beside_the_policies_folder_reads_them_once(tmp_path: Path) -> None:
    # envs/prod reads ../../policies/agents.json and, from its own folder, policies/local.json;
    # the policies folder is not under (nor above) the configuration.
    write(tmp_path, {
        "envs/prod/main.tf": ('resource "aws_iam_policy" "agents" {\n'
                              '  policy = file("${path.module}/../../policies/agents.json")\n}\n'
                              'resource "aws_iam_policy" "local" {\n  policy = file("policies/local.json")\n}\n'),
        "envs/prod/policies/local.json": POLICY,
        "policies/agents.json": POLICY,
        "policies/other.json": POLICY,
    })
    got = claimants(tmp_path)
    assert got["policies/agents.json"] == [TERRAFORM]
    assert got["envs/prod/policies/local.json"] == [TERRAFORM]
    assert got["policies/other.json"] == [POLICY_JSON]
    model = load_model([tmp_path], LoadContext())
    assert sorted(Path(p.name).name for p in model.policies) == [
        "aws_iam_policy.agents", "aws_iam_policy.local", "other.json"]


def test_without_the_terraform_files_a_policy_file_is_read_on_its_own(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_iam_policy" "p" {\n  policy = file("p.json")\n}\n', "p.json": POLICY})
    model = load_model([tmp_path / "p.json"], LoadContext())
    assert [Path(p.name).name for p in model.policies] == ["p.json"]


def test_json_patterns() -> None:
    data = (b'a = file("${path.module}/p/x.json")\n'
            b'b = "${path.root}/policies/y.json"\n'
            b'c = "../shared/${var.name}.json"\n'
            b'd = format("%s/z.json", var.dir)\n'
            b'e = fileset(path.module, "docs/**/*.json")\n'
            b'f = fileset("${path.module}/many", "*.json")\n'
            b'g = "${lookup(var.m, "k")}/w.json"\n'
            b'h = "no-json-here.txt"\n')
    assert json_patterns(data, "/r/m") == [
        "/r/m/p/x.json",
        ANY + "/policies/y.json",
        f"/r/shared/{ANY}.json", f"{ANY}/shared/{ANY}.json",
        ANY + "/z.json",
        "/r/m/docs/" + ANY + "/*.json", ANY + "/docs/" + ANY + "/*.json",
        "/r/m/*.json",
        ANY + "/w.json",
        "/r/m/many/*.json",
    ]
