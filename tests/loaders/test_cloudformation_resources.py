"""Which resources hold which policies: names, kinds, attachments, principals and notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.engine import Options, scan
from auditor.loaders.cloudformation import load_template_text
from auditor.policy.model import Model, PrincipalRecord, Span

DOC = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'connect:ListUsers', Resource: '*'}]}"


def load(resources: str) -> Model:
    model = Model()
    load_template_text("Resources:\n" + resources.replace("DOC", DOC), "t.yaml", {}, model)
    assert not model.input_errors
    return model


def summary(model: Model) -> list[tuple[str, str, str]]:
    return [(p.name, p.kind.value, p.attachment.value) for p in model.policies]


def principal(model: Model, name: str) -> PrincipalRecord:
    return next(p for p in model.principals if p.name == name)


def at(span: Span | None) -> tuple[int, int, int, int]:
    assert span is not None
    return (span.line, span.column, span.end_line, span.end_column)


def test_role_trust_inline_managed_and_boundary() -> None:
    m = load("""\
  AgentRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: DOC
      Policies:
        - {PolicyName: a, PolicyDocument: DOC}
        - {PolicyName: b, PolicyDocument: DOC}
      ManagedPolicyArns: [!Ref Agents, arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess]
      PermissionsBoundary: !Ref Boundary
  Agents:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: DOC}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: DOC}
""")
    assert summary(m) == [
        ("AgentRole.AssumeRolePolicyDocument", "trust", "trust"),
        ("AgentRole.Policies[0]", "identity", "role-inline"),
        ("AgentRole.Policies[1]", "identity", "role-inline"),
        ("Agents", "identity", "managed"),
        ("Boundary", "identity", "managed"),
    ]
    role = principal(m, "AgentRole")
    assert role == PrincipalRecord("role", "AgentRole", role.span, ["AgentRole.Policies[0]", "AgentRole.Policies[1]"],
                                   ["arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"], ["Agents"], "Boundary")
    assert at(role.span) == (2, 3, 2, 12)
    trust = m.policies[0]
    assert at(trust.locations.value(("Statement", 0, "Action"))) == (5, 93, 5, 112)


def test_user_group_and_their_policies() -> None:
    m = load("""\
  Team:
    Type: AWS::IAM::Group
    Properties:
      Policies: [{PolicyName: g, PolicyDocument: DOC}]
  Lead:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Team, existing-group]
      Policies: [{PolicyName: u, PolicyDocument: DOC}]
  TeamPolicy:
    Type: AWS::IAM::GroupPolicy
    Properties: {GroupName: !Ref Team, PolicyName: x, PolicyDocument: DOC}
  LeadPolicy:
    Type: AWS::IAM::UserPolicy
    Properties: {UserName: !Ref Lead, PolicyName: x, PolicyDocument: DOC}
""")
    assert summary(m) == [
        ("Team.Policies[0]", "identity", "group-inline"),
        ("Lead.Policies[0]", "identity", "user-inline"),
        ("TeamPolicy", "identity", "group-inline"),
        ("LeadPolicy", "identity", "user-inline"),
    ]
    assert principal(m, "Team").inline_policies == ["Team.Policies[0]", "TeamPolicy"]
    lead = principal(m, "Lead")
    assert (lead.kind, lead.inline_policies, lead.groups) == ("user", ["Lead.Policies[0]", "LeadPolicy"],
                                                              ["Team", "existing-group"])


def test_policy_resources_attach_to_their_principals() -> None:
    m = load("""\
  Shared:
    Type: AWS::IAM::Policy
    Properties: {PolicyName: s, PolicyDocument: DOC, Roles: [!Ref R, outside-role], Users: [!Ref U]}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: DOC, Roles: [!Ref R]}
  Inline:
    Type: AWS::IAM::RolePolicy
    Properties: {RoleName: !Ref R, PolicyName: i, PolicyDocument: DOC}
  R:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: DOC}
  U:
    Type: AWS::IAM::User
""")
    # A policy stored inline on a user as well as a role gets the user's (smaller) quota.
    assert summary(m)[:3] == [("Shared", "identity", "user-inline"), ("Managed", "identity", "managed"),
                              ("Inline", "identity", "role-inline")]
    r = principal(m, "R")
    assert (r.inline_policies, r.managed_policy_refs) == (["Shared", "Inline"], ["Managed"])
    assert principal(m, "outside-role").inline_policies == ["Shared"]
    assert principal(m, "U").inline_policies == ["Shared"]


def test_sso_permission_set() -> None:
    m = load("""\
  Admins:
    Type: AWS::SSO::PermissionSet
    Properties:
      InlinePolicy: DOC
      ManagedPolicies: [arn:aws:iam::aws:policy/AmazonConnect_FullAccess]
      CustomerManagedPolicyReferences: [{Name: connect-extra, Path: /team/}]
      PermissionsBoundary: {ManagedPolicyArn: arn:aws:iam::aws:policy/PowerUserAccess}
  Readers:
    Type: AWS::SSO::PermissionSet
    Properties:
      InlinePolicy: '{"Statement": {"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}}'
""")
    assert summary(m) == [("Admins.InlinePolicy", "identity", "unknown"), ("Readers.InlinePolicy", "identity", "unknown")]
    admins = principal(m, "Admins")
    assert admins.managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonConnect_FullAccess",
                                          "customer-managed:/team/connect-extra"]
    assert admins.permissions_boundary == "arn:aws:iam::aws:policy/PowerUserAccess"
    assert at(m.policies[1].locations.value(("Statement", "Action"))) == (12, 66, 12, 85)


def test_sam_function_policies() -> None:
    m = load("""\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaVPCAccessExecutionRole
        - SQSPollerPolicy: {QueueName: q}
        - DOC
        - !Ref Extra
  Single:
    Type: AWS::Serverless::Function
    Properties: {Policies: DOC}
  WithRole:
    Type: AWS::Serverless::Function
    Properties: {Role: arn:aws:iam::111122223333:role/x, Policies: [DOC]}
  Extra:
    Type: AWS::IAM::ManagedPolicy
    Properties: {PolicyDocument: DOC}
""")
    assert summary(m) == [("Fn.Policies[2]", "identity", "role-inline"), ("Single.Policies", "identity", "role-inline"),
                          ("Extra", "identity", "managed")]
    role = principal(m, "FnRole")
    assert role.managed_policy_arns == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                                        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]
    assert role.managed_policy_refs == ["Extra"]
    assert [(at(s), msg) for s, msg in m.notes] == [
        ((6, 11, 6, 42), "Fn.Policies[0] names the AWS managed policy AWSLambdaVPCAccessExecutionRole; "
                         "recorded on FnRole, not audited"),
        ((7, 11, 7, 26), "Fn.Policies[1] uses the SAM policy template SQSPollerPolicy, which SAM expands at "
                         "deployment; not audited"),
        ((15, 58, 15, 66), "WithRole sets Role, so SAM ignores its Policies; not audited"),
    ]


def test_sam_managed_policy_names_become_their_real_arns_once() -> None:
    m = load("""\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AWSLambdaBasicExecutionRole, AWSLambdaExecute, AmazonConnect_FullAccess, AWSLambdaRole]
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies: [AWSLambdaRole]
""")
    # Not `arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole` (no such policy) beside the real one.
    assert principal(m, "FnRole").managed_policy_arns == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSLambdaExecute",
        "arn:aws:iam::aws:policy/AmazonConnect_FullAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
    ]
    assert principal(m, "FlowRole").managed_policy_arns == ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole"]


def test_the_managed_policy_paths_agree_with_iams_list() -> None:
    import json

    pytest.importorskip("moto")
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    from auditor.loaders.cloudformation.managed_policies import _BY_PATH, aws_managed_policy_arn

    # Every policy of the installed moto's list that the table knows (a newer list may add some).
    listed = {name for names in _BY_PATH.values() for name in names.split()}
    data = json.loads(aws_managed_policies_data)
    wrong = {name: aws_managed_policy_arn(name) for name, p in data.items()
             if (name in listed or p.get("Path", "/") == "/")
             and aws_managed_policy_arn(name) != f"arn:aws:iam::aws:policy{p.get('Path', '/')}{name}"}
    assert wrong == {}
    assert len(listed) > 600


def test_duplicate_keys_inside_and_outside_policies() -> None:
    m = Model()
    load_template_text("Resources:\n" + """\
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Effect: Deny
      PolicyDocument: DOC
  Q:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: connect:ListUsers
            Action: connect:DeleteUser
""".replace("DOC", DOC), "t.yaml", {}, m)
    (p, q) = m.policies
    assert p.syntax_errors == []
    assert [(path, msg, at(s)) for path, msg, s in q.syntax_errors] == [
        (("Statement", 0), 'duplicate key "Action" (first at line 16): CloudFormation rejects the template',
         (17, 13, 17, 19))]
    # Outside a policy they are input errors (CA000): CloudFormation rejects the template.
    assert [(at(s), msg) for s, msg in m.input_errors] == [
        ((8, 13, 8, 19), 'duplicate key "Effect" (first at line 7): CloudFormation rejects the template'),
        ((9, 7, 9, 21), 'duplicate key "PolicyDocument" (first at line 5): CloudFormation rejects the template'),
    ]


def test_no_resources_is_an_input_error() -> None:
    model = Model()
    load_template_text("AWSTemplateFormatVersion: '2010-09-09'\n", "t.yaml", {}, model)
    assert model.input_errors == [(Span("t.yaml", 1, 1, 1, 39), "not a CloudFormation template: no Resources section")]


def test_unparsable_template_is_ca000_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    (tmp_path / "good.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n"
                                        "    Type: AWS::IAM::ManagedPolicy\n"
                                        "    Properties: {PolicyDocument: {Statement: {Effect: Allow, "
                                        "Action: 'connect:*', Resource: '*'}}}\n")
    report = scan([tmp_path], Options(select=["CA000", "CA201"]))
    assert [(f.rule_id, f.location().line, f.location().column) for f in report.findings] == [
        ("CA000", 3, 1), ("CA201", 5, 70)]


def test_a_template_that_is_not_a_mapping() -> None:
    model = Model()
    load_template_text("- AWSTemplateFormatVersion\n- Resources\n", "t.yaml", {}, model)
    assert model.input_errors == [(Span("t.yaml", 1, 1, 2, 12), "not a CloudFormation template: no Resources section")]


def test_conditional_policy_keeps_template_indices() -> None:
    model = Model()
    load_template_text("""\
Conditions:
  IsProd: !Equals [a, a]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - !If [IsProd, {PolicyName: a, PolicyDocument: {Statement: []}}, !Ref AWS::NoValue]
        - {PolicyName: b, PolicyDocument: {Statement: [{Effect: Allow}]}}
""", "t.yaml", {}, model)
    # The second policy is Policies[1] whether or not the first exists, and is audited once;
    # the first exists only when IsProd is true, which its variant says.
    assert [(p.name, p.variant) for p in model.policies] == [("R.Policies[0]", "Fn::If IsProd: true"),
                                                             ("R.Policies[1]", None)]
    assert model.policies[1].locations.value(("Statement", 0, "Effect")).line == 9
