"""Parity: the same policies written in Terraform and in CloudFormation get the same rule ids
at the same policy paths. The policies and their names on each side are listed in
fixtures/parity/README.md (the table is read from there)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from auditor.engine import scan

PARITY = Path(__file__).resolve().parents[1] / "fixtures" / "parity"
_ROW = re.compile(r"^\|\s*([a-z][a-z0-9-]*)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (PARITY / "README.md").read_text().splitlines():
        m = _ROW.match(line)
        if m and m.group(1) != "key":
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def findings_by_policy(folder: Path, catalog: Any) -> tuple[dict[str, set[tuple[str, tuple]]], set[str]]:
    report = scan([folder], catalog=catalog)
    assert not report.model.input_errors, report.model.input_errors
    by_name: dict[str, set[tuple[str, tuple]]] = {p.name: set() for p in report.model.policies}
    for f in report.findings:
        if f.policy is not None:
            by_name[f.policy.name].add((f.rule_id, tuple(f.path)))
    return by_name, set(by_name)


def test_parity_table_is_complete() -> None:
    assert set(table()) == {"agents-managed", "supervisor-inline", "supervisor-trust", "admin-wildcard"}


def test_same_rules_at_same_paths(catalog: Any) -> None:
    if not (PARITY / "terraform").is_dir() or importlib.util.find_spec("auditor.loaders.terraform") is None:
        pytest.skip("the Terraform side of the parity fixtures is not there yet")
    tf, tf_names = findings_by_policy(PARITY / "terraform", catalog)
    cfn, cfn_names = findings_by_policy(PARITY / "cloudformation", catalog)
    for key, (tf_name, cfn_name) in table().items():
        assert tf_name in tf_names, f"{key}: no Terraform policy {tf_name} (found {sorted(tf_names)})"
        assert cfn_name in cfn_names, f"{key}: no CloudFormation policy {cfn_name} (found {sorted(cfn_names)})"
        assert sorted(tf[tf_name]) == sorted(cfn[cfn_name]), key
        assert cfn[cfn_name] or key == "supervisor-trust", f"{key}: the parity fixture should have findings"
