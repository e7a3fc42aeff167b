"""CA006 on models built directly: one note per thing the loaders could not audit."""

from __future__ import annotations

from auditor.engine import Options, scan
from auditor.policy.model import Model, Span
from auditor.rules.CA006_not_audited import NotAudited

SAM = Span("template.yaml", 17, 11, 17, 29)
REMOTE = Span("main.tf", 11, 3, 11, 47)


def notes(model: Model, **kw) -> list[tuple[str, str, Span]]:
    return [(f.level, f.message, f.location()) for f in NotAudited(**kw).check_model(model, None)]  # type: ignore[arg-type]


def test_each_note_at_its_span() -> None:
    model = Model(notes=[(SAM, "CallbackFunction.Policies[1] uses the SAM policy template DynamoDBCrudPolicy"),
                         (REMOTE, "aws_iam_policy.agents: the policy cannot be audited")])
    assert notes(model) == [
        ("note", "CallbackFunction.Policies[1] uses the SAM policy template DynamoDBCrudPolicy", SAM),
        ("note", "aws_iam_policy.agents: the policy cannot be audited", REMOTE),
    ]


def test_the_same_note_at_the_same_place_is_reported_once() -> None:
    model = Model(notes=[(REMOTE, "a"), (REMOTE, "a"), (REMOTE, "b"), (SAM, "a")])
    assert [(m, s) for _, m, s in notes(model)] == [("a", REMOTE), ("b", REMOTE), ("a", SAM)]


def test_no_notes_no_findings_and_the_level_is_configurable() -> None:
    assert notes(Model()) == []
    assert notes(Model(notes=[(SAM, "x")]), level="warning")[0][0] == "warning"


def test_it_reports_through_the_engine_and_can_be_ignored(catalog) -> None:
    case = "fixtures/rules/CA006/bad/terraform-remote-module.tf"
    assert [f.rule_id for f in scan([case], Options(select=["CA006"]), catalog=catalog).findings] == ["CA006"] * 2
    assert all(f.rule_id != "CA006" for f in scan([case], Options(ignore=["CA006"]), catalog=catalog).findings)


def test_a_policy_with_holes_is_audited_and_a_wholly_unknown_one_is_noted(tmp_path, catalog) -> None:
    (tmp_path / "main.tf").write_text('''
variable "policy_json" {
  type = string
}

resource "aws_iam_policy" "known" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "connect:DescribeUser", Resource = "${aws_connect_instance.main.arn}/agent/*" }]
  })
}

resource "aws_iam_policy" "unknown" {
  policy = var.policy_json
}
''')
    report = scan([tmp_path], Options(select=["CA006"]), catalog=catalog)
    assert [p.name for p in report.model.policies] == ["aws_iam_policy.known"]
    [f] = report.findings
    assert f.rule_id == "CA006" and f.location().line == 14
    assert f.message.startswith("aws_iam_policy.unknown: the policy cannot be audited: `var.policy_json`")
