"""Write the expected findings of a rule's bad fixtures from what the rule reports now.

    python -m tests.regen_expected CA105 [--case NAME]

Read every file it writes before committing it: the expectation is the review.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.chdir(Path(__file__).resolve().parents[1])
os.environ.setdefault("CONNECT_AUDIT_CACHE_DIR", ".pytest_cache/connect-audit")

from auditor.catalog import Catalog  # noqa: E402
from tests.rule_fixtures import actual, cases, expected_path  # noqa: E402


def main(argv: list[str]) -> None:
    rule_id = argv[0]
    only = argv[argv.index("--case") + 1] if "--case" in argv else None
    catalog = Catalog.default()
    for case in cases(rule_id, "bad"):
        if only and case.name != only:
            continue
        found = actual(rule_id, case, catalog)
        expected_path(case).write_text(json.dumps(found, indent=2) + "\n")
        print(f"{expected_path(case)}: {len(found)} finding(s)")
        for f in found:
            print(f"  {f['line']}:{f['column']} {f['level']} {f['message']}")


if __name__ == "__main__":
    main(sys.argv[1:])
