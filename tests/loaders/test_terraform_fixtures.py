"""End to end: each tree under fixtures/terraform/ gives exactly the findings in the
`expected.json` beside it (the clean twin: none).

An expected file freezes the rule ids it was written with (`rules`), so a rule added later
does not change what these fixtures assert; findings are compared by rule, policy, path and
location, not by message wording. Regenerate after a deliberate change with

    python tests/loaders/test_terraform_fixtures.py [--rules CA000,CA001,...]

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
FIXTURES = ROOT / "fixtures" / "terraform"
TREES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def actual(tree: Path, rules: list[str], catalog: Any = None) -> list[dict[str, Any]]:
    from auditor.engine import Options, scan

    report = scan([tree.relative_to(ROOT)], Options(select=rules), catalog=catalog)
    out = []
    for f in report.findings:
        loc = f.location()
        out.append({
            "rule_id": f.rule_id,
            "policy": f.policy.name if f.policy else None,
            "path": list(f.path),
            "file": loc.file,
            "line": loc.line, "column": loc.column, "end_line": loc.end_line, "end_column": loc.end_column,
        })
    return out


@pytest.mark.parametrize("tree", TREES, ids=lambda p: p.name)
def test_fixture_findings(tree: Path, catalog: Any) -> None:
    expected = json.loads((tree / "expected.json").read_text())
    assert actual(tree, expected["rules"], catalog) == expected["findings"]


def test_the_clean_twin_is_clean_and_the_faulty_tree_is_not() -> None:
    clean = json.loads((FIXTURES / "contact-centre-clean" / "expected.json").read_text())
    faulty = json.loads((FIXTURES / "contact-centre" / "expected.json").read_text())
    assert clean["findings"] == []
    assert {f["rule_id"] for f in faulty["findings"]} >= {"CA102", "CA105", "CA201", "CA202"}


def test_every_fault_is_found() -> None:
    """Each line marked FAULT in the faulty tree has a finding on it or on the next lines."""
    faulty = json.loads((FIXTURES / "contact-centre" / "expected.json").read_text())
    found = {(f["file"], f["line"]) for f in faulty["findings"]}
    for tf in (FIXTURES / "contact-centre").rglob("*.tf"):
        rel = str(tf.relative_to(ROOT))
        for n, line in enumerate(tf.read_text().splitlines(), 1):
            if "FAULT:" in line:
                assert any((rel, m) in found for m in range(n, n + 10)), f"{rel}:{n}: no finding for {line.strip()}"


def _regen(argv: list[str]) -> None:
    os.chdir(ROOT)
    os.environ.setdefault("CONNECT_AUDIT_CACHE_DIR", ".pytest_cache/connect-audit")
    sys.path.insert(0, str(ROOT))
    from auditor.engine import discover_rules

    rules = argv[argv.index("--rules") + 1].split(",") if "--rules" in argv else sorted(c.id for c in discover_rules())
    for tree in TREES:
        found = actual(tree, rules)
        (tree / "expected.json").write_text(json.dumps({"rules": rules, "findings": found}, indent=1) + "\n")
        print(f"{(tree / 'expected.json').relative_to(ROOT)}: {len(found)} finding(s)")
        for f in found:
            print(f"  {f['file']}:{f['line']}:{f['column']} {f['rule_id']} {f['policy']} {f['path']}")


if __name__ == "__main__":
    _regen(sys.argv[1:])
