"""CA000 and CA001 on inputs built directly: where reading stopped, and template values inside
a document that does not parse."""

from __future__ import annotations

from auditor.engine import Options, scan
from auditor.policy.model import LocationMap, Model, Policy, Span
from auditor.policy.values import Hole, Text
from auditor.rules.CA000_input_error import InputError
from auditor.rules.CA001_invalid_json import InvalidJson

HEREDOC = '''resource "aws_iam_policy" "agents" {
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeUser",
      "Resource": "${aws_connect_instance.main.arn}/agent/*",
    }
  ]
}
POLICY
}
'''


def test_input_errors_are_reported_at_their_span() -> None:
    span = Span("main.tf", 3, 7, 3, 8)
    model = Model(input_errors=[(span, "unexpected character '}'")])
    [f] = InputError().check_model(model, None)  # type: ignore[arg-type]
    assert (f.level, f.message, f.location()) == ("error", "unexpected character '}'", span)


def test_syntax_errors_keep_their_span_and_get_a_hint() -> None:
    span = Span("main.tf", 9, 41, 9, 42)
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:DescribeUser",
                                                    "Resource": Text([Hole("aws_connect_instance.main.arn"), "/agent/*"])}]}
    policy = Policy(doc, LocationMap("main.tf"), "aws_iam_policy.agents")
    policy.syntax_errors = [(("Statement", 0), "trailing comma", span)]
    [f] = InvalidJson().check(policy, None)  # type: ignore[arg-type]
    assert f.location() == span and f.suggestion == "delete the comma: JSON allows none after the last item"


def test_a_heredoc_with_a_template_value_and_a_trailing_comma(tmp_path, catalog) -> None:
    (tmp_path / "main.tf").write_text(HEREDOC)
    report = scan([tmp_path], Options(select=["CA000", "CA001"]), catalog=catalog)
    assert [(f.rule_id, f.location().line) for f in report.findings] == [("CA001", 9)]
    assert "trailing comma" in report.findings[0].message
