"""Which files the CloudFormation loader claims, by content and by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.loaders.cloudformation import CloudFormationLoader

CLAIMED = [
    ("t.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\n"),
    ("t.yml", b"Transform: AWS::Serverless-2016-10-31\nResources: {}\n"),
    ("t.yaml", b"Transform: [AWS::LanguageExtensions, 'AWS::Serverless-2016-10-31']\n"),
    ("t.template", b"Resources:\n  R:\n    Type: AWS::IAM::Role\n"),
    ("t.json", b'{"Resources": {"R": {"Type": "AWS::IAM::Role"}}}'),
    ("cdk.out/Stack.template.json", b'{"Parameters": {}}'),
]
NOT_CLAIMED = [
    ("policy.json", b'{"Version": "2012-10-17", "Statement": []}'),
    ("t.txt", b"AWSTemplateFormatVersion: '2010-09-09'\n"),
    ("workflow.yml", b"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"),
    ("serverless.yml", b"service: x\nresources:\n  Resources:\n    R:\n      Type: AWS::IAM::Role\n"),
    ("t.json.expected.json", b'{"AWSTemplateFormatVersion": "2010-09-09"}'),
    ("Stack.template.json", b'{"Parameters": {}}'),
]


@pytest.mark.parametrize(("name", "head"), CLAIMED)
def test_claims_templates(name: str, head: bytes) -> None:
    assert CloudFormationLoader().claims(Path("/x") / name, head)


@pytest.mark.parametrize(("name", "head"), NOT_CLAIMED)
def test_leaves_other_files(name: str, head: bytes) -> None:
    assert not CloudFormationLoader().claims(Path("/x") / name, head)


def test_loader_protocol() -> None:
    loader = CloudFormationLoader()
    assert loader.name == "cloudformation"


def test_block_list_transform() -> None:
    head = b"Transform:\n  - AWS::LanguageExtensions\n  - AWS::Serverless-2016-10-31\n"
    assert CloudFormationLoader().claims(Path("t.yaml"), head)


def test_json_template_beside_terraform_is_read_as_cloudformation(tmp_path: Path) -> None:
    from auditor.engine import load_model
    from auditor.loaders.base import LoadContext

    (tmp_path / "main.tf").write_text('resource "aws_iam_role" "r" {\n  name = "r"\n}\n')
    (tmp_path / "stack.json").write_text(
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", '
        '"Properties": {"PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "connect:ListUsers", '
        '"Resource": "*"}}}}}}\n')
    model = load_model([tmp_path], LoadContext())
    assert "P" in [p.name for p in model.policies]
