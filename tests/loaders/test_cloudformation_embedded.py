"""Policy documents written as JSON strings: parsed with their locations inside the string."""

from __future__ import annotations

from auditor.loaders.cloudformation import load_template_text
from auditor.policy.model import Model, Span
from auditor.policy.values import Hole, Text


def load(text: str, file: str = "t.yaml") -> Model:
    model = Model()
    load_template_text(text, file, {}, model)
    return model


def policy(model: Model, name: str):
    return next(p for p in model.policies if p.name == name)


def at(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


HEAD = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"


def test_literal_block() -> None:
    m = load(HEAD + '      PolicyDocument: |\n        {"Statement": [\n          {"Action": "connect:ListUsers"}]}\n')
    p = policy(m, "P")
    assert p.document == {"Statement": [{"Action": "connect:ListUsers"}]}
    assert at(p.locations.value(("Statement", 0, "Action"))) == (7, 22, 7, 41)
    assert at(p.locations.key(("Statement", 0, "Action"))) == (7, 12, 7, 20)
    assert at(p.locations.value(())) == (6, 9, 7, 44)


def test_folded_block() -> None:
    m = load(HEAD + '      PolicyDocument: >\n        {"Statement":\n        {"Action": "connect:ListUsers"}}\n')
    p = policy(m, "P")
    assert p.document == {"Statement": {"Action": "connect:ListUsers"}}
    assert at(p.locations.value(("Statement", "Action"))) == (7, 20, 7, 39)


def test_double_quoted_yaml_with_escapes() -> None:
    m = load(HEAD + '      PolicyDocument: "{\\"Statement\\": {\\"Action\\": \\"connect:ListUsers\\"}}"\n')
    p = policy(m, "P")
    assert p.document == {"Statement": {"Action": "connect:ListUsers"}}
    # The span starts at the escape that stands for the opening quote.
    assert at(p.locations.value(("Statement", "Action"))) == (5, 53, 5, 74)


def test_single_quoted_yaml() -> None:
    m = load(HEAD + "      PolicyDocument: '{\"Statement\": {\"Action\": \"connect:ListUsers\"}}'\n")
    p = policy(m, "P")
    assert at(p.locations.value(("Statement", "Action"))) == (5, 49, 5, 68)


def test_json_template_string() -> None:
    text = ('{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {\n'
            '  "PolicyDocument": "{\\"Statement\\": {\\"Action\\": \\"connect:ListUsers\\"}}"}}}}\n')
    p = policy(load(text, "t.json"), "P")
    assert p.document == {"Statement": {"Action": "connect:ListUsers"}}
    assert at(p.locations.value(("Statement", "Action"))) == (2, 51, 2, 72)


def test_sub_template_keeps_locations_and_resolves_strings() -> None:
    m = load(HEAD + '      PolicyDocument: !Sub |\n'
                    '        {"Statement": {"Action": "connect:DescribeQueue",\n'
                    '          "Resource": "arn:${AWS::Partition}:connect:*:${AWS::AccountId}:instance/${Instance}"}}\n'
                    '  Instance:\n    Type: AWS::Connect::Instance\n')
    p = policy(m, "P")
    resource = p.document["Statement"]["Resource"]
    assert isinstance(resource, Text)
    assert resource.parts == ("arn:aws:connect:*:", Hole("AWS::AccountId"), ":instance/",
                              Hole("Instance", "arn:*:connect:*:*:instance/*"))
    assert at(p.locations.value(("Statement", "Resource"))) == (7, 23, 7, 95)


def test_syntax_faults_inside_the_string_are_located() -> None:
    m = load(HEAD + '      PolicyDocument: |\n        {"Statement": {"Action": "connect:ListUsers",}}\n')
    p = policy(m, "P")
    assert p.document == {"Statement": {"Action": "connect:ListUsers"}}
    assert [(path, msg, at(s)) for path, msg, s in p.syntax_errors] == [
        (("Statement",), "trailing comma before '}'", (6, 53, 6, 54))]
    assert not p.unparsable


def test_unparsable_string_is_marked() -> None:
    m = load(HEAD + '      PolicyDocument: |\n        {"Statement": [\n')
    p = policy(m, "P")
    assert p.unparsable and p.document is None
    assert [(msg, at(s)) for _, msg, s in p.syntax_errors] == [
        ("unclosed '[': expected ']' before the end of input", (6, 23, 6, 24))]


def test_joined_string_with_holes() -> None:
    m = load(HEAD + '      PolicyDocument: !Join ["", [\'{"Statement": {"Resource": "\', !ImportValue Arn, \'"}}\']]\n')
    p = policy(m, "P")
    resource = p.document["Statement"]["Resource"]
    assert isinstance(resource, Text) and resource.parts == (Hole("!ImportValue Arn"),)
    assert at(p.locations.value(("Statement", "Resource"))) == (5, 23, 5, 92)


def test_wholly_unknown_document_is_a_note() -> None:
    m = load(HEAD + "      PolicyDocument: !ImportValue SharedPolicy\n")
    assert m.policies == []
    assert [(at(s), msg) for s, msg in m.notes] == [
        ((5, 23, 5, 48), "P: the policy document is not known before deployment (`!ImportValue SharedPolicy`); "
                         "not audited")]
