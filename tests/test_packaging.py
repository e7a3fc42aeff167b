"""A non-editable install ships every rule, and finds it without registration."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_and_finds_every_rule(tmp_path: Path) -> None:
    # Build the wheel exactly as `pip install .` would (no network: the build backend is here),
    # from a copy of the tree so no stale build/ folder can hide a missing file.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", ".venv", "__pycache__",
                                                             ".pytest_cache", "fixtures", "tests", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("connect_policy_auditor-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.startswith("auditor/")}
        zf.extractall(tmp_path / "site")
    # Every source and data file of the package, and every rule, is in the wheel.
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "auditor").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    on_disk |= {f"auditor/rules/{p.name}" for p in (ROOT / "rules").glob("*.py")}
    assert sorted(on_disk - shipped) == []

    # Discover the rules from the installed copy only (not this checkout).
    code = ("import auditor, auditor.engine as e; "
            "assert 'site' in auditor.__file__, auditor.__file__; "
            "print(' '.join(sorted(r.id for r in e.discover_rules())))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""}, check=True).stdout.split()
    ids_in_files = sorted(re.match(r"(CA\d{3})_", p.name).group(1)
                          for p in (ROOT / "rules").glob("CA*.py"))
    assert out == ids_in_files


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run takes the line after the marker in the README; check it finds the right one."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- test-command -->", 1)[1].split("```", 2)[1]
    command = block.removeprefix("sh").strip()
    extracted = subprocess.run(["bash", "-c", "grep -m1 -A2 '<!-- test-command -->' README.md | sed -n '3p'"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert extracted == command
    assert command.startswith("python3 -m venv .venv && ") and command.endswith("python -m pytest")
    assert "grep -m1 -A2 '<!-- test-command -->' README.md | sed -n '3p'" in (ROOT / ".ci" / "run").read_text()


def test_readme_rule_table_matches_the_rules() -> None:
    from auditor.engine import discover_rules

    rows = re.findall(r"^\| (CA\d{3}) \| ([a-z0-9-]+) \| (error|warning|note) \|", (ROOT / "README.md").read_text(), re.M)
    assert rows == [(r.id, r.name, r.level) for r in sorted(discover_rules(), key=lambda r: r.id)]
