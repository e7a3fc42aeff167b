"""Every note a loader leaves (a policy it could not audit) points at the exact text it is about
and says so in one sentence that names the policy: rule CA006 reports them as they are."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from auditor.engine import load_model
from auditor.loaders.base import LoadContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

TF = '''variable "p" {}
variable "vars" {}

resource "aws_iam_policy" "from_var" {
  policy = var.p
}

resource "aws_iam_policy" "number" {
  policy = 42
}

resource "aws_iam_role_policy" "tpl" {
  role   = "r"
  policy = templatefile("${path.module}/p.json.tftpl", var.vars)
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [var.p]
  statement {
    actions   = ["connect:DescribeQueue"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "merged" {
  policy = data.aws_iam_policy_document.merged.json
}

resource "aws_iam_role" "r" {
  assume_role_policy = var.p
  inline_policy {
    name   = "x"
    policy = var.p
  }
}
'''

TEMPLATE = '''AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  PolicyList:
    Type: CommaDelimitedList
  Doc:
    Type: String
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Ref Doc
      Policies: !Ref PolicyList
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-doc"}}
  WithRole:
    Type: AWS::Serverless::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/x
      Policies:
        - AmazonConnectReadOnlyAccess
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AmazonConnectReadOnlyAccess
        - DynamoDBCrudPolicy:
            TableName: t
'''


def notes(root: Path) -> list[tuple[str, int, str, str]]:
    """(file name, line, the text the span covers, message) of every note."""
    out = []
    for span, message in load_model([root], LoadContext()).notes:
        lines = Path(span.file).read_text().splitlines()
        assert span.line == span.end_line, (span, message)  # one line: the value, key or word itself
        out.append((Path(span.file).name, span.line, lines[span.line - 1][span.column - 1:span.end_column - 1],
                    message))
    return out


def one_sentence(message: str) -> bool:
    return "\n" not in message and not re.search(r"[.!?]\s+[A-Z]", message) and not message.endswith(".")


def test_terraform_notes(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / "p.json.tftpl").write_text('{"Statement": []}')
    got = notes(tmp_path)
    assert got == [
        ("main.tf", 5, "var.p",
         "aws_iam_policy.from_var: the policy cannot be audited: `var.p` is not known before deployment"),
        ("main.tf", 9, "42", "aws_iam_policy.number: the policy cannot be audited: it is not a JSON document"),
        ("main.tf", 14, 'templatefile("${path.module}/p.json.tftpl", var.vars)',
         'aws_iam_role_policy.tpl: the policy cannot be audited: `templatefile("${path.module}/p.json.tftpl", '
         'var.vars)` is not known before deployment'),
        ("main.tf", 30, "var.p", "aws_iam_role.r.assume_role_policy: the policy cannot be audited: `var.p` is not "
                                 "known before deployment"),
        ("main.tf", 33, "var.p", "aws_iam_role.r.inline_policy[0]: the policy cannot be audited: `var.p` is not "
                                 "known before deployment"),
        ("main.tf", 18, "var.p", "data.aws_iam_policy_document.merged: a document in source_policy_documents cannot "
                                 "be read (`var.p` is not known before deployment); its statements are not audited"),
    ]
    assert all(one_sentence(m) for *_, m in got)


def test_a_plan_notes_where_it_says_the_policy_is_unknown(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "terraform" / "plan-only" / "plan.json", tmp_path / "plan.json")
    assert notes(tmp_path) == [("plan.json", 94, '"policy": true', "module.connect.aws_iam_policy.pending: the "
                                "policy is not known until apply; not audited")]


def test_cloudformation_notes(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    got = notes(tmp_path)
    assert got == [
        ("t.yaml", 12, "!Ref Doc", "Role.AssumeRolePolicyDocument: the policy document is not known before "
                                   "deployment (`!Ref Doc`); not audited"),
        ("t.yaml", 13, "!Ref PolicyList",
         "Role.Policies is not known before deployment (`!Ref PolicyList`); not audited"),
        ("t.yaml", 17, '{"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-doc"}}',
         "Managed: the policy document is not known before deployment (`!ImportValue ${AWS::StackName}-doc`); "
         "not audited"),
        ("t.yaml", 22, "Policies", "WithRole sets Role, so SAM ignores its Policies; not audited"),
        ("t.yaml", 28, "AmazonConnectReadOnlyAccess", "Fn.Policies[0] names the AWS managed policy "
                                                      "AmazonConnectReadOnlyAccess; recorded on FnRole, not audited"),
        ("t.yaml", 29, "DynamoDBCrudPolicy", "Fn.Policies[1] uses the SAM policy template DynamoDBCrudPolicy, which "
                                             "SAM expands at deployment; not audited"),
    ]
    assert all(one_sentence(m) for *_, m in got)


def test_too_many_conditions_are_noted_at_the_resource(tmp_path: Path) -> None:
    conditions = {f"C{i}": {"Fn::Equals": [{"Ref": "P"}, str(i)]} for i in range(8)}
    statements = [{"Fn::If": [f"C{i}", {"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"},
                              {"Ref": "AWS::NoValue"}]} for i in range(8)]
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"P": {"Type": "String"}},
                "Conditions": conditions,
                "Resources": {"Big": {"Type": "AWS::IAM::ManagedPolicy",
                                      "Properties": {"PolicyDocument": {"Statement": statements}}}}}
    (tmp_path / "big.json").write_text(json.dumps(template, indent=1))
    ((file, _, text, message),) = notes(tmp_path)
    assert (text, message) == ('"Big"', "Big has more Fn::If combinations than 64; audited the first 64")
