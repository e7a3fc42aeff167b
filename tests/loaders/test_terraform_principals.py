"""Roles, users and groups with what is attached to them (for the console-coverage checks)."""

from __future__ import annotations

from pathlib import Path

from auditor.loaders.base import LoadContext
from auditor.loaders.terraform import TerraformLoader
from auditor.policy.model import Model, PrincipalRecord


def principals(tmp_path: Path, files: dict[str, str]) -> dict[str, PrincipalRecord]:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    loader = TerraformLoader()
    paths = [p for p in sorted(tmp_path.rglob("*")) if p.is_file() and loader.claims(p, p.read_bytes()[:4096])]
    model = Model()
    loader.load(paths, LoadContext(), model)
    return {r.name: r for r in model.principals}


SRC = '''
resource "aws_iam_role" "agents" {
  name               = "agents"
  assume_role_policy = "{}"
  managed_policy_arns = [aws_iam_policy.base.arn, "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"]
  permissions_boundary = "arn:aws:iam::111122223333:policy/boundary"
  inline_policy {
    name   = "inline"
    policy = jsonencode({Statement = []})
  }
}

resource "aws_iam_policy" "base" {
  policy = jsonencode({Statement = []})
}

resource "aws_iam_role_policy" "by_name" {
  role   = "agents"
  policy = jsonencode({Statement = []})
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.agents.name
  policy_arn = module.shared.policy_arn
}

resource "aws_iam_role_policy_attachment" "outside" {
  role       = "made-by-hand"
  policy_arn = "arn:aws:iam::aws:policy/AmazonConnect_FullAccess"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.ops.name]
}

resource "aws_iam_group_policy_attachment" "ops" {
  group      = aws_iam_group.ops.name
  policy_arn = aws_iam_policy.base.arn
}

resource "aws_iam_policy_attachment" "many" {
  name       = "many"
  users      = [aws_iam_user.alice.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

module "shared" {
  source = "./shared"
}
'''

SHARED = '''
resource "aws_iam_policy" "this" {
  policy = jsonencode({Statement = []})
}
output "policy_arn" {
  value = aws_iam_policy.this.arn
}
'''


def test_principal_records(tmp_path: Path) -> None:
    recs = principals(tmp_path, {"main.tf": SRC, "shared/main.tf": SHARED})
    agents = recs["aws_iam_role.agents"]
    assert agents.kind == "role"
    assert (agents.span.line, agents.span.column) == (2, 1)
    assert agents.inline_policies == ["aws_iam_role.agents.inline_policy[0]", "aws_iam_role_policy.by_name"]
    # A policy of this configuration is named by its address (followed through module outputs).
    assert agents.managed_policy_refs == ["aws_iam_policy.base", "module.shared.aws_iam_policy.this"]
    assert agents.managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"]
    assert agents.permissions_boundary == "arn:aws:iam::111122223333:policy/boundary"
    # A role the configuration does not create is known by its name.
    assert recs["made-by-hand"].managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonConnect_FullAccess"]
    alice = recs["aws_iam_user.alice"]
    assert alice.kind == "user" and alice.groups == ["aws_iam_group.ops"]
    assert alice.managed_policy_arns == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert recs["aws_iam_group.ops"].managed_policy_refs == ["aws_iam_policy.base"]
