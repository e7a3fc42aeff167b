"""Start-up stays cheap: a scan imports only what its inputs need (no HCL parser for a policy
JSON file, no YAML for a .tf file, no importlib.metadata or network modules unless asked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import engine

ROOT = Path(__file__).resolve().parents[1]
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]}\n'
TF = ('resource "aws_iam_policy" "p" {\n  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",'
      ' Action = "connect:ListUsers", Resource = "*"}]})\n}\n')
TEMPLATE = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n"
            "    Properties:\n      PolicyDocument:\n        Statement:\n          Effect: Allow\n"
            "          Action: connect:ListUsers\n          Resource: '*'\n")

TERRAFORM_ONLY = {"lark", "hcl2", "auditor.loaders.terraform.loader", "auditor.loaders.terraform.parse",
                  "auditor.loaders.terraform.evaluate", "auditor.loaders.terraform.prefilter",
                  "auditor.loaders.terraform.syntax", "auditor.loaders.terraform.resources"}
CLOUDFORMATION_ONLY = {"yaml", "cfn_tools", "auditor.loaders.cloudformation.yaml_marks",
                       "auditor.loaders.cloudformation.resources", "auditor.loaders.cloudformation.intrinsics"}
NEVER = {"importlib.metadata", "email", "http.client", "urllib.request", "socket", "concurrent.futures"}


def modules_after_scan(path: Path) -> set[str]:
    code = ("import json, sys\nfrom auditor.cli import main\n"
            f"main(['scan', {str(path)!r}, '--format', 'json', '--output', {str(path) + '.out'!r}])\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    env = {k: v for k, v in os.environ.items() if k != "COVERAGE_PROCESS_START"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("name, text, absent", [
    ("p.json", POLICY, TERRAFORM_ONLY | CLOUDFORMATION_ONLY | NEVER),
    ("main.tf", TF, CLOUDFORMATION_ONLY | NEVER),
    ("stack.yaml", TEMPLATE, TERRAFORM_ONLY | NEVER),
])
def test_a_scan_imports_only_what_its_inputs_need(tmp_path: Path, name: str, text: str, absent: set[str]) -> None:
    if engine._may_declare("connect_audit.rules"):
        pytest.skip("a rule pack is installed: importlib.metadata is needed")
    path = tmp_path / name
    path.write_text(text)
    loaded = modules_after_scan(path)
    assert json.loads((tmp_path / (name + ".out")).read_text())["findings"]  # it did scan
    assert sorted(loaded & absent) == []


def test_rule_packs_are_looked_for_cheaply_but_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "pack-1.0.dist-info"
    dist.mkdir()
    assert not engine._may_declare("connect_audit.test_group")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not engine._may_declare("connect_audit.test_group")
    (dist / "entry_points.txt").write_text("[connect_audit.test_group]\nx = os.path:join\n")
    assert engine._may_declare("connect_audit.test_group")
    assert [ep.name for ep in engine.entry_points("connect_audit.test_group")] == ["x"]
