"""End to end: each template under fixtures/cloudformation/ gives exactly the findings in the
`<template>.expected.json` beside it (clean twins: none).

An expected file freezes the rule ids it was written with (`rules`), so a rule added later
does not change what these fixtures assert; findings are compared by rule, policy, branch,
path and location, not by message wording. Regenerate after a deliberate change with

    python tests/loaders/test_cloudformation_fixtures.py [--rules CA000,CA001,...]

and read the diff: the expectation is the review.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "cloudformation"
TEMPLATES = sorted([*FIXTURES.glob("*.yaml"), *FIXTURES.glob("*.json"), *FIXTURES.glob("cdk.out/*.template.json")])
TEMPLATES = [t for t in TEMPLATES if not t.name.endswith(".expected.json")]


def expected_path(template: Path) -> Path:
    return template.with_name(template.name + ".expected.json")


def actual(template: Path, rules: list[str], catalog: Any = None) -> list[dict[str, Any]]:
    from auditor.engine import Options, scan

    report = scan([template.relative_to(ROOT)], Options(select=rules), catalog=catalog)
    out = []
    for f in report.findings:
        loc = f.location()
        out.append({
            "rule_id": f.rule_id,
            "policy": f.policy.name if f.policy else None,
            "variant": f.policy.variant if f.policy else None,
            "path": list(f.path),
            "line": loc.line, "column": loc.column, "end_line": loc.end_line, "end_column": loc.end_column,
        })
    return out


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings(template: Path, catalog: Any) -> None:
    expected = json.loads(expected_path(template).read_text())
    assert actual(template, expected["rules"], catalog) == expected["findings"]


def test_every_fault_has_a_clean_twin() -> None:
    names = {t.name for t in TEMPLATES}
    for faulty in ("contact-centre.yaml", "contact-centre.json", "sam-app.yaml"):
        twin = faulty.replace(".", "-clean.", 1)
        assert faulty in names and twin in names
        # A clean twin has no fault; it may still name SAM policy templates and AWS managed
        # policies, which CA006 notes as not audited.
        twin_findings = json.loads(expected_path(FIXTURES / twin).read_text())["findings"]
        assert [f for f in twin_findings if f["rule_id"] != "CA006"] == []
        assert json.loads(expected_path(FIXTURES / faulty).read_text())["findings"]


def _regen(argv: list[str]) -> None:
    os.chdir(ROOT)
    os.environ.setdefault("CONNECT_AUDIT_CACHE_DIR", ".pytest_cache/connect-audit")
    sys.path.insert(0, str(ROOT))
    from auditor.engine import discover_rules

    rules = argv[argv.index("--rules") + 1].split(",") if "--rules" in argv else sorted(c.id for c in discover_rules())
    for template in TEMPLATES:
        found = actual(template, rules)
        expected_path(template).write_text(json.dumps({"rules": rules, "findings": found}, indent=1) + "\n")
        print(f"{expected_path(template).relative_to(ROOT)}: {len(found)} finding(s)")
        for f in found:
            print(f"  {f['line']}:{f['column']} {f['rule_id']} {f['policy']} {f['variant'] or ''} {f['path']}")


if __name__ == "__main__":
    _regen(sys.argv[1:])
