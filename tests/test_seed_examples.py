"""AWS's old example policies (seed 004), verbatim, give exactly the findings beside them:
the trailing and missing commas, the misspelt prefix, the trailing space, the wrong ARN
service name, the placeholder accounts, the renamed actions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from auditor.engine import Options, scan
from auditor.reporters.json_report import finding_dict

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "004"
CASES = sorted(p for p in SEEDS.glob("*.json") if not p.name.endswith(".expected.json"))
KEYS = ("rule_id", "level", "message", "line", "column", "path")


def findings(case: Path, catalog) -> list[dict]:
    report = scan([case], Options(), catalog=catalog)
    return [{k: finding_dict(f)[k] for k in KEYS} for f in report.findings]


def test_every_seed_example_is_a_fixture() -> None:
    assert len(CASES) == 11


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_seed_example_findings(case: Path, catalog) -> None:
    expected = json.loads(case.with_name(case.name + ".expected.json").read_text())
    assert findings(case, catalog) == expected


if __name__ == "__main__":  # python -m tests.test_seed_examples: rewrite the expectations (then review them)
    from auditor.catalog import Catalog

    cat = Catalog.default()
    for c in CASES:
        c.with_name(c.name + ".expected.json").write_text(json.dumps(findings(c, cat), indent=2) + "\n")
        print(c.name, file=sys.stderr)
