"""Every run gives the same report: messages that list several items list them sorted or in
catalog order, never in the order of a set (which changes with PYTHONHASHSEED)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def scan_in_a_fresh_process(seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    r = subprocess.run([sys.executable, "-m", "auditor.cli", "scan", "fixtures", "examples", "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def test_the_report_does_not_depend_on_hash_order() -> None:
    first, second, third = (scan_in_a_fresh_process(seed) for seed in ("1", "2", "31337"))
    assert '"findings"' in first
    assert first == second == third
