"""Evaluation: locals, variables, functions, references and what stays a hole.

Each case evaluates `local.probe` in a throwaway module; values keep where they were written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.loaders.base import LoadContext
from auditor.loaders.terraform import TerraformLoader, parse_file
from auditor.loaders.terraform.evaluate import evaluate
from auditor.loaders.terraform.located import V, plain
from auditor.loaders.terraform.modules import Module, Root
from auditor.policy.model import Model
from auditor.policy.values import Hole, Text


def probe(tmp_path: Path, expr: str, extra: str = "") -> V:
    (tmp_path / "probe.tf").write_text(f"locals {{\n  probe = {expr}\n}}\n{extra}")
    asts = [parse_file(str(p)) for p in sorted(tmp_path.glob("*.tf"))]
    for a in asts:
        assert a.errors == []
    root = Root(tmp_path, lambda d: asts if d == tmp_path else [])
    mod = Module(root, tmp_path, "", asts)
    return evaluate(mod.locals["probe"].expr, mod.env())


def pos(span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


@pytest.mark.parametrize("expr, expected", [
    ('format("arn:aws:connect:%s:%s:instance/*", "eu-west-2", "1234")', "arn:aws:connect:eu-west-2:1234:instance/*"),
    ('join(",", ["a", "b"], ["c"])', "a,b,c"),
    ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
    ('flatten([["a"], [["b"]], "c"])', ["a", "b", "c"]),
    ('distinct(["a", "b", "a"])', ["a", "b"]),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('merge({a = 1}, {b = 2}, {a = 3})', {"a": 3, "b": 2}),
    ('lookup({a = "x"}, "b", "dflt")', "dflt"),
    ('try({a = "x"}.b, "fallback")', "fallback"),  # an attribute a known object lacks: an error
    ('try(["a"][3], "fallback")', "fallback"),
    ('try(lower({a = "x"}.b), "fallback")', "fallback"),  # an argument's error is the call's
    ('can({a = "x"}.b)', False),
    ('can({a = "x"}.a)', True),
    ('coalesce("", "y")', "y"),
    ('upper("connect:listqueues")', "CONNECT:LISTQUEUES"),
    ('replace("a-b-c", "-", ":")', "a:b:c"),
    ('replace("queue/q1", "/^queue\\\\/(.*)$/", "$1")', "q1"),
    ('formatlist("connect:%s", ["A", "B"])', ["connect:A", "connect:B"]),
    ('jsondecode("{\\"a\\": [1, 2]}")', {"a": [1, 2]}),
    ('element(["a", "b"], 3)', "b"),
    ('keys({b = 1, a = 2})', ["a", "b"]),
    ('split(",", "a,b")', ["a", "b"]),
    ('length(["a", "b"])', 2),
    ('true ? "yes" : "no"', "yes"),
    ('[for a in ["x", "y", ""] : "connect:${a}" if a != ""]', ["connect:x", "connect:y"]),
    ('{for k, v in {a = "x"} : v => k}', {"x": "a"}),
    ('"${1 + 2}-${true}"', "3-true"),
    ('"%{ for a in ["x", "y"] }${a};%{ endfor }"', "x;y;"),
])
def test_functions_and_expressions(tmp_path: Path, expr: str, expected: object) -> None:
    assert plain(probe(tmp_path, expr)) == expected


def test_locals_and_variable_defaults_resolve(tmp_path: Path) -> None:
    extra = 'variable "env" {\n  default = "prod"\n}\nlocals {\n  name = "acme-${var.env}"\n}\n'
    assert probe(tmp_path, '"${local.name}-agents"', extra).v == "acme-prod-agents"


@pytest.mark.parametrize("expr, pattern", [
    ("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"),
    ("aws_connect_queue.q.arn", "arn:*:connect:*:*:instance/*/queue/*"),
    ("aws_connect_user.u.arn", "arn:*:connect:*:*:instance/*/agent/*"),
    ("aws_connect_contact_flow.f.arn", "arn:*:connect:*:*:instance/*/contact-flow/*"),
    ("aws_connect_routing_profile.r[0].arn", "arn:*:connect:*:*:instance/*/routing-profile/*"),
    ("data.aws_connect_instance.x.arn", "arn:*:connect:*:*:instance/*"),
    ("aws_lambda_function.f.arn", "arn:*:lambda:*:*:function:*"),
    ("data.aws_caller_identity.current.account_id", None),
    ("data.aws_region.current.name", None),
    ("data.aws_partition.current.partition", None),
    ("aws_connect_instance.main.id", None),
    ("var.undeclared", None),
    ("terraform.workspace", None),
    ("some_unknown_function(1)", None),
])
def test_unknown_references_are_holes_that_keep_the_expression(tmp_path: Path, expr: str, pattern: str | None) -> None:
    v = probe(tmp_path, expr)
    assert isinstance(v.v, Text) and v.v.parts == (Hole(expr, pattern),)
    assert pos(v.span) == (2, 11, 2, 11 + len(expr))


def test_a_template_keeps_its_holes_among_known_parts(tmp_path: Path) -> None:
    v = probe(tmp_path, '"${aws_connect_instance.main.arn}/user/*"')
    assert v.v.parts == (Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"), "/user/*")
    v = probe(tmp_path, 'format("arn:aws:iam::%s:role/x", data.aws_caller_identity.current.account_id)')
    assert v.v.parts == ("arn:aws:iam::", Hole("data.aws_caller_identity.current.account_id"), ":role/x")
    v = probe(tmp_path, 'join(",", ["a", var.b])')
    assert v.v.parts == ("a,", Hole("var.b"))


def test_a_splat_of_connect_resources_is_one_hole_with_the_pattern(tmp_path: Path) -> None:
    v = probe(tmp_path, "aws_connect_queue.all[*].arn")
    assert v.v.parts == (Hole("aws_connect_queue.all[*].arn", "arn:*:connect:*:*:instance/*/queue/*"),)


def test_an_unknown_condition_is_a_hole_unless_both_branches_agree(tmp_path: Path) -> None:
    assert probe(tmp_path, 'var.prod ? "a" : "a"').v == "a"
    assert probe(tmp_path, 'var.prod ? "a" : "b"').v.parts == (Hole('var.prod ? "a" : "b"'),)


def test_values_keep_the_place_they_were_written(tmp_path: Path) -> None:
    extra = 'locals {\n  actions = ["connect:A", "connect:B"]\n}\n'
    v = probe(tmp_path, 'concat(local.actions, ["connect:C"])', extra)
    assert plain(v) == ["connect:A", "connect:B", "connect:C"]
    assert [pos(i.span) for i in v.v] == [(5, 14, 5, 25), (5, 27, 5, 38), (2, 34, 2, 45)]


def test_cycles_become_holes(tmp_path: Path) -> None:
    v = probe(tmp_path, "local.a", 'locals {\n  a = local.b\n  b = local.a\n}\n')
    assert isinstance(v.v, Text) and v.v.holes


# --- variables through the loader: defaults < terraform.tfvars < *.auto.tfvars < --var-file ----
def test_variable_precedence(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "a" {\n  default = "connect:FromDefault"\n}\n'
        'variable "b" {\n  default = "x"\n}\n'
        'variable "c" {\n  default = "x"\n}\n'
        'variable "d" {\n  default = "x"\n}\n'
        'resource "aws_iam_policy" "p" {\n'
        '  policy = jsonencode({Statement = [{Action = [var.a, var.b, var.c, var.d]}]})\n'
        '}\n')
    (tmp_path / "terraform.tfvars").write_text('b = "connect:FromTfvars"\nc = "x"\nd = "x"\n')
    (tmp_path / "a.auto.tfvars").write_text('c = "x"\nd = "x"\n')
    (tmp_path / "b.auto.tfvars").write_text('c = "connect:FromAuto"\n')
    (tmp_path / "extra.tfvars").write_text('d = "connect:FromVarFile"\n')
    loader = TerraformLoader()
    paths = [p for p in sorted(tmp_path.iterdir()) if loader.claims(p, p.read_bytes())]
    model = Model()
    loader.load(paths, LoadContext(var_files=[tmp_path / "extra.tfvars"]), model)
    (policy,) = model.policies
    assert policy.document["Statement"][0]["Action"] == [
        "connect:FromDefault", "connect:FromTfvars", "connect:FromAuto", "connect:FromVarFile"]
    spans = [policy.locations.value(("Statement", 0, "Action", i)) for i in range(4)]
    assert [(Path(s.file).name, s.line, s.column) for s in spans] == [
        ("main.tf", 2, 13), ("terraform.tfvars", 1, 5), ("b.auto.tfvars", 1, 5), ("extra.tfvars", 1, 5)]


# --- an argument unknown until apply is not an error: no fallback is chosen ----------------------
@pytest.mark.parametrize("expr", [
    'try(aws_s3_bucket.b.arn, "*")',
    'try(var.undeclared, "*")',
    'try({a = "x"}[var.k], "*")',
    'try(upper(aws_s3_bucket.b.arn), "*")',
    'coalesce(aws_s3_bucket.b.arn, "*")',
    'coalescelist(var.list, ["*"])',
    'lookup(var.m, "k", "*")',
    'lookup({(var.k) = "x"}, "k", "*")',  # the unknown key may be "k"
    'lookup(merge({(var.k) = "x"}, {a = "y"}), "k", "*")',
    'can(aws_s3_bucket.b.arn)',
    '[var.a] == ["x"] ? "x" : "*"',
])
def test_an_unknown_argument_makes_the_result_unknown_not_the_fallback(tmp_path: Path, expr: str) -> None:
    v = probe(tmp_path, expr)
    assert isinstance(v.v, Text) and v.v.parts == (Hole(expr),)
    assert pos(v.span) == (2, 11, 2, 11 + len(expr))


def test_try_over_an_unknown_resource_attribute_is_no_star_resource(tmp_path: Path, catalog) -> None:
    from auditor.engine import Options, scan

    (tmp_path / "main.tf").write_text(
        'locals {\n'
        '  cfg = {}\n'
        '}\n'
        'resource "aws_iam_policy" "p" {\n'
        '  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n'
        '    Statement = [{\n'
        '      Effect   = "Allow"\n'
        '      Action   = "s3:GetObject"\n'
        '      Resource = [\n'
        '        try(aws_s3_bucket.b.arn, "*"),\n'
        '        coalesce(aws_s3_bucket.b.arn, "*"),\n'
        '        lookup(var.m, "k", "*"),\n'
        '        lookup({ (var.k) = "arn:aws:s3:::b/*" }, "k", "*"),\n'
        '        try(local.cfg.bucket, "*"),\n'
        '      ]\n'
        '    }]\n'
        '  })\n'
        '}\n')
    report = scan([tmp_path / "main.tf"], Options(), catalog=catalog)
    got = [(f.rule_id, f.location().line, f.location().column) for f in report.findings]
    # Only the fallback of a try() whose first argument fails (the object has no `bucket`).
    assert got == [("CA203", 15, 31)]


def test_a_regex_python_does_not_read_is_unknown_not_a_loader_crash(tmp_path: Path) -> None:
    v = probe(tmp_path, 'regex("(?<x>a)", "a")')
    assert isinstance(v.v, Text) and v.v.parts == (Hole('regex("(?<x>a)", "a")'),)
