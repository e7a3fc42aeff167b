"""Intrinsic functions: what each resolves to, where it is located, and what stays a hole."""

from __future__ import annotations

from pathlib import Path

from auditor.engine import Options, scan
from auditor.loaders.base import LoadContext
from auditor.loaders.cloudformation import load_template_text
from auditor.policy.model import Model, Span
from auditor.policy.values import Hole, Text

HEAD = """\
Parameters:
  Env:
    Type: String
    Default: prod
  Actions:
    Type: CommaDelimitedList
    Default: connect:ListQueues,connect:ListUsers
  NoDefault:
    Type: String
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /connect/instance-arn
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasExtra: !Equals [!Ref Env, test]
Mappings:
  Envs:
    prod:
      Actions: [connect:DescribeQueue, connect:DescribeUser]
Resources:
  Instance:
    Type: AWS::Connect::Instance
  Queue:
    Type: AWS::Connect::Queue
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
"""
BASE = HEAD.count("\n")  # the line before the first statement line


def policies(statements: str, parameters: dict[str, str] | None = None) -> list:
    model = Model()
    load_template_text(HEAD + statements, "t.yaml", parameters or {}, model)
    assert not model.input_errors
    return model.policies


def doc(statements: str, parameters: dict[str, str] | None = None) -> dict:
    (p,) = policies(statements, parameters)
    return p.document


def at(span: Span) -> tuple[int, int, int, int]:
    return (span.line - BASE, span.column, span.end_line - BASE, span.end_column)


def test_ref_parameter_default_and_override() -> None:
    assert doc("          - Resource: !Ref Env\n")["Statement"][0]["Resource"] == "prod"
    assert doc("          - Resource: !Ref Env\n", {"Env": "test"})["Statement"][0]["Resource"] == "test"


def test_ref_list_parameter_is_a_located_list() -> None:
    (p,) = policies("          - Action: !Ref Actions\n")
    assert p.document["Statement"][0]["Action"] == ["connect:ListQueues", "connect:ListUsers"]
    assert at(p.locations.value(("Statement", 0, "Action", 1))) == (1, 21, 1, 33)


def test_unknown_parameters_are_holes() -> None:
    st = doc("          - A: !Ref NoDefault\n            B: !Ref FromSsm\n            C: !Sub 'x-${NoDefault}'\n")
    st = st["Statement"][0]
    assert st["A"] == Text([Hole("!Ref NoDefault")])
    assert st["B"] == Text([Hole("!Ref FromSsm")]) and st["B"].wholly_unresolved
    assert st["C"].parts == ("x-", Hole("NoDefault"))


def test_pseudo_parameters() -> None:
    st = doc("          - R: !Sub 'arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:x.${AWS::URLSuffix}'\n")
    assert st["Statement"][0]["R"].parts == ("arn:aws:connect:", Hole("AWS::Region"), ":", Hole("AWS::AccountId"),
                                             ":x.amazonaws.com")
    st = doc("          - R: !Sub '${AWS::Region}/${AWS::StackName}'\n", {"AWS::Region": "eu-west-2"})
    assert st["Statement"][0]["R"].parts == ("eu-west-2/", Hole("AWS::StackName"))


def test_sub_forms_and_escapes() -> None:
    st = doc("          - R: !Sub ['${Inst}/agent/${!aws:userid}', {Inst: !GetAtt Instance.Arn}]\n"
             "            S: !Sub '${Env}-queue'\n")["Statement"][0]
    assert st["R"].parts == (Hole("!GetAtt Instance.Arn", "arn:*:connect:*:*:instance/*"), "/agent/${aws:userid}")
    assert st["S"] == "prod-queue" and not isinstance(st["S"], Text)


def test_getatt_of_connect_resources_has_arn_patterns() -> None:
    st = doc("          - A: !GetAtt Instance.Arn\n            B: !GetAtt [Queue, QueueArn]\n"
             "            C: !Sub '${Queue.QueueArn}'\n            D: !GetAtt Instance.Id\n"
             "            E: !Ref Queue\n")["Statement"][0]
    assert st["A"].parts == (Hole("!GetAtt Instance.Arn", "arn:*:connect:*:*:instance/*"),)
    assert st["B"].parts == (Hole("!GetAtt Queue.QueueArn", "arn:*:connect:*:*:instance/*/queue/*"),)
    assert st["C"].parts == (Hole("Queue.QueueArn", "arn:*:connect:*:*:instance/*/queue/*"),)
    assert st["D"].parts == (Hole("!GetAtt Instance.Id"),)
    assert st["E"].parts == (Hole("!Ref Queue", "arn:*:connect:*:*:instance/*/queue/*"),)


def test_import_value_and_other_functions_are_holes() -> None:
    st = doc("          - A: !ImportValue shared-arn\n            B: !Base64 abc\n"
             "            C: !ImportValue {'Fn::Sub': '${Env}-arn'}\n")["Statement"][0]
    assert st["A"].parts == (Hole("!ImportValue shared-arn"),)
    assert st["B"].parts == (Hole("!Base64 abc"),)
    assert st["C"].parts == (Hole("!ImportValue prod-arn"),)


def test_join_select_split() -> None:
    (p,) = policies("          - A: !Join [':', [arn, !Ref AWS::Partition, connect]]\n"
                    "            B: !Select [1, !Split [',', 'a,b,c']]\n"
                    "            C: !Join ['', [!GetAtt Instance.Arn, /queue/*]]\n"
                    "            D: !Select [0, !Ref Actions]\n"
                    "            E: !Split [',', !ImportValue x]\n")
    st = p.document["Statement"][0]
    assert st["A"] == "arn:aws:connect"
    assert st["B"] == "b"
    assert st["C"].parts == (Hole("!GetAtt Instance.Arn", "arn:*:connect:*:*:instance/*"), "/queue/*")
    assert st["D"] == "connect:ListQueues"
    assert isinstance(st["E"], Text) and st["E"].wholly_unresolved  # a whole list, unknown
    assert at(p.locations.value(("Statement", 0, "C"))) == (3, 16, 3, 60)


def test_find_in_map_is_located_in_the_mapping() -> None:
    (p,) = policies("          - Action: !FindInMap [Envs, !Ref Env, Actions]\n")
    assert p.document["Statement"][0]["Action"] == ["connect:DescribeQueue", "connect:DescribeUser"]
    span = p.locations.value(("Statement", 0, "Action", 1))
    assert (span.line, span.column, span.end_line, span.end_column) == (19, 40, 19, 60)
    (p,) = policies("          - Action: !FindInMap [Envs, test, Actions]\n")
    assert p.document["Statement"][0]["Action"].parts == (Hole('!FindInMap ["Envs", "test", "Actions"]'),)
    (p,) = policies("          - Action: !FindInMap [Envs, test, Actions, {DefaultValue: connect:ListUsers}]\n")
    assert p.document["Statement"][0]["Action"] == "connect:ListUsers"


def test_if_gives_one_policy_per_branch() -> None:
    ps = policies("          - Action: !If [IsProd, connect:ListUsers, connect:DeleteUser]\n"
                  "            Resource: '*'\n")
    assert [(p.variant, p.document["Statement"][0]["Action"]) for p in ps] == [
        ("Fn::If IsProd: true", "connect:ListUsers"), ("Fn::If IsProd: false", "connect:DeleteUser")]
    assert [at(p.locations.value(("Statement", 0, "Action"))) for p in ps] == [(1, 34, 1, 51), (1, 53, 1, 71)]


def test_nested_ifs_and_no_value() -> None:
    ps = policies("          - Action:\n"
                  "              - connect:ListUsers\n"
                  "              - !If [IsProd, !If [HasExtra, connect:A, !Ref AWS::NoValue], connect:B]\n")
    assert [(p.variant, p.document["Statement"][0]["Action"]) for p in ps] == [
        ("Fn::If IsProd: true, Fn::If HasExtra: true", ["connect:ListUsers", "connect:A"]),
        ("Fn::If IsProd: false", ["connect:ListUsers", "connect:B"]),
        ("Fn::If IsProd: true, Fn::If HasExtra: false", ["connect:ListUsers"]),
    ]


def test_if_outside_the_document_is_not_a_variant() -> None:
    model = Model()
    load_template_text(HEAD + "          - Action: connect:ListUsers\n"
                              "      Roles: [!If [IsProd, a, b]]\n", "t.yaml", {}, model)
    assert [(p.name, p.variant) for p in model.policies] == [("P", None)]


def test_holes_never_fail_resource_checks(tmp_path: Path) -> None:
    """CA104/CA105/CA203 see an ARN pattern or 'anything', never a literal '*' or a bad ARN."""
    (tmp_path / "t.yaml").write_text(HEAD.replace("Parameters:", 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:')
                                     + "          - Effect: Allow\n"
                                       "            Action: [connect:DescribeQueue, connect:DeleteUser]\n"
                                       "            Resource:\n"
                                       "              - !GetAtt Queue.QueueArn\n"
                                       "              - !Sub '${Instance.Arn}/agent/*'\n"
                                       "              - !ImportValue other-arn\n")
    report = scan([tmp_path / "t.yaml"], Options(select=["CA104", "CA105", "CA203"], load=LoadContext()))
    assert [(f.rule_id, f.path) for f in report.findings] == []


def test_sub_is_located_at_its_template_string_in_every_form() -> None:
    (p,) = policies("          - A: !Sub '${Env}-a'\n"
                    "            B: !Sub ['${X}-b', {X: !Ref Env}]\n"
                    "            C: !Sub\n"
                    "              - '${X}-c'\n"
                    "              - X: !Ref Env\n"
                    "            D:\n"
                    "              Fn::Sub: '${Env}-d'\n")
    assert p.document["Statement"][0] == {"A": "prod-a", "B": "prod-b", "C": "prod-c", "D": "prod-d"}
    where = {k: at(p.locations.value(("Statement", 0, k))) for k in "ABCD"}
    assert where == {
        "A": (1, 16, 1, 31),  # the tag and its string, on one line
        "B": (2, 22, 2, 30),  # the list form: the string, not the tag that opens the list
        "C": (4, 17, 4, 25),  # not line 3's `!Sub`
        "D": (7, 24, 7, 34),
    }


def test_a_star_in_the_list_form_of_sub_is_reported_at_the_string(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\n'   # 1
        "Resources:\n"                              # 2
        "  P:\n"                                    # 3
        "    Type: AWS::IAM::ManagedPolicy\n"       # 4
        "    Properties:\n"                         # 5
        "      PolicyDocument:\n"                   # 6
        '        Version: "2012-10-17"\n'           # 7
        "        Statement:\n"                      # 8
        "          - Effect: Allow\n"               # 9
        "            Action: s3:GetObject\n"        # 10
        "            Resource: !Sub\n"              # 11
        '              - "${Bucket}"\n'             # 12
        '              - Bucket: "*"\n')            # 13
    report = scan([tmp_path / "t.yaml"], Options(select=["CA203"], load=LoadContext()))
    assert [(f.rule_id, f.location().line, f.location().column, f.location().end_line, f.location().end_column)
            for f in report.findings] == [("CA203", 12, 17, 12, 28)]
