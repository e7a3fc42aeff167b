"""How rule fixtures are laid out and run (used by tests/test_rules.py and tools/regen).

    fixtures/rules/<RULE_ID>/bad/<case>.<ext>                 an input with faults
    fixtures/rules/<RULE_ID>/bad/<case>.<ext>.expected.json   the rule's exact findings on it
    fixtures/rules/<RULE_ID>/good/<case>.<ext>                an input the rule must pass
A case may also be a folder (a Terraform module), with `expected.json` inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.engine import Options, scan
from auditor.reporters.json_report import finding_dict

RULE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
KEYS = ("level", "message", "suggestion", "line", "column", "end_line", "end_column", "path")


def cases(rule_id: str, kind: str) -> list[Path]:
    folder = RULE_FIXTURES / rule_id / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if not p.name.endswith(".expected.json") and not p.name.startswith(".") and p.name != "README.md")


def expected_path(case: Path) -> Path:
    return case / "expected.json" if case.is_dir() else case.with_name(case.name + ".expected.json")


def actual(rule_id: str, case: Path, catalog: Any) -> list[dict[str, Any]]:
    report = scan([case], Options(select=[rule_id]), catalog=catalog)
    out = []
    for f in report.findings:
        if f.rule_id != rule_id:
            continue
        d = finding_dict(f)
        out.append({k: d[k] for k in KEYS})
    return out
