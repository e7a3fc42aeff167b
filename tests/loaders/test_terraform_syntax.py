"""The fast syntax check vouches only for text python-hcl2's parser accepts, and vouches for
the HCL real configurations are made of (so the parser seldom has to run)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from auditor.loaders.terraform.parse import parse_hcl
from auditor.loaders.terraform.syntax import certainly_valid

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted([*ROOT.glob("fixtures/**/*.tf"), *ROOT.glob("examples/**/*.tf")])

CONSTRUCTS = '''terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals {
  names   = [for n in var.names : upper(n) if n != ""]
  by_name = { for k, v in var.map : k => v... }
  ids     = aws_instance.web[*].id
  ids2    = aws_instance.web.*.id
  first   = var.list[0].name
  cond    = var.enabled ? "on" : "off"
  math    = (var.a + var.b) * -2 / 3 % 4
  logic   = !var.flag && (var.x >= 1 || var.y <= 2)
  tpl     = "${var.prefix}-${lookup(var.m, "k", "d")}-$${literal}"
  nested  = { a = { b = [1, 2, 3], c = "x" }, "quoted key" = 1 }
  multi = [
    "a",
    "b",
  ]
  obj = {
    a = 1
    b = 2,
  }
  call   = merge(var.a, {
    extra = true
  })
  spread = concat(var.lists...)
  float  = 1.5e3
  esc    = "tab\\tquote\\"back\\\\slash \\u00e9"
}

/* a block
   comment */
resource "aws_instance" "web" {
  count     = 2 # a comment
  ami       = data.aws_ami.x.id // another
  user_data = <<-EOT
    #!/bin/bash
    echo "${var.greeting}" > /tmp/x
  EOT
  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value.name
    }
  }
  tags = merge(local.tags, { Name = "web-${count.index}" })
}

output "x" { value = local.cond }
variable "empty" {}
'''

BROKEN = ["a = \n", "a = 1 +\n", 'resource "x" "y" {\n', "a = [1,,2]\n", "a = f(,)\n", "a = {b = }\n",
          "a b c\n", "<<<<<<< HEAD\na = 1\n", 'a = "x\n', "a = var.\n", "a = 1 2\n", "}\n", "a = (1\n",
          "a = [for x in y]\n", "a = { for k, v in m : k }\n", 'a = "$${x"\n', "a = <<EOT\nno end\n"]


def parser_accepts(text: str) -> bool:
    return not parse_hcl(text, "x.tf", "x.tf").errors


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_real_configurations_are_vouched_for_unless_broken(path: Path) -> None:
    text = path.read_text()
    assert certainly_valid(text) == parser_accepts(text)


def test_the_constructs_of_real_configurations_are_vouched_for() -> None:
    assert parser_accepts(CONSTRUCTS)
    assert certainly_valid(CONSTRUCTS)


@pytest.mark.parametrize("text", BROKEN)
def test_broken_text_is_not_vouched_for(text: str) -> None:
    assert not parser_accepts(text)
    assert not certainly_valid(text)


def test_it_never_vouches_for_what_the_parser_rejects() -> None:
    """Random edits of real text: whatever the check vouches for, the parser accepts."""
    rng = random.Random(7)
    texts = [CONSTRUCTS] + [p.read_text() for p in CORPUS]
    chars = '{}[]()"=,.:?<>$%#/\\\n abx1-+*!~'
    vouched = 0
    for _ in range(400):
        t = rng.choice(texts)
        i = rng.randrange(len(t))
        edit = rng.randrange(4)
        if edit == 0:
            t = t[:i] + t[i + 1:]
        elif edit == 1:
            t = t[:i] + rng.choice(chars) + t[i:]
        elif edit == 2:
            lines = t.split("\n")
            del lines[rng.randrange(len(lines))]
            t = "\n".join(lines)
        else:
            t = t[:i] + t[i + rng.randrange(1, 30):]
        if certainly_valid(t):
            vouched += 1
            assert parser_accepts(t), t
    assert vouched > 50  # the edits that keep the text valid are vouched for too


def _expression(rng: random.Random, depth: int = 0) -> str:
    names = ["a", "var", "x_1", "for", "in", "if", "true", "null", "b-c"]
    r = rng.randrange(15 if depth < 3 else 6)
    sub = lambda: _expression(rng, depth + 1)  # noqa: E731
    return [
        lambda: rng.choice(names),
        lambda: rng.choice(["1", "1.5", "1e3", "007", "1.5.6"]),
        lambda: rng.choice(['"s"', '"${x}"', '"${ a.b[0] }-x"', '"$${x}"', '"a$b%c"']),
        lambda: sub() + rng.choice([".a", ".0", "[0]", "[*]", ".*", ".*.b", '["k"]', ".true"]),
        lambda: rng.choice(["-", "!", ""]) + sub(),
        lambda: "(" + sub() + ")",
        lambda: sub() + rng.choice([" + ", " - ", " * ", " == ", " && ", " || ", " <= "]) + sub(),
        lambda: sub() + " ? " + sub() + " : " + sub(),
        lambda: rng.choice(names) + "(" + ", ".join(sub() for _ in range(rng.randrange(3)))
        + rng.choice(["", ",", "..."]) + ")",
        lambda: "[" + rng.choice(["", "\n"]) + ", ".join(sub() for _ in range(rng.randrange(3)))
        + rng.choice(["", ",", "\n"]) + "]",
        lambda: "{" + rng.choice([" ", "\n"]) + rng.choice([", ", "\n", " "]).join(
            rng.choice(names + ['"k"']) + rng.choice([" = ", ": "]) + sub() for _ in range(rng.randrange(3)))
        + rng.choice([" ", "\n", ","]) + "}",
        lambda: "[for " + rng.choice(["k", "k, v"]) + " in " + sub() + " : " + sub()
        + rng.choice(["", " if " + sub()]) + "]",
        lambda: "{for k in " + sub() + " : " + sub() + " => " + sub() + rng.choice(["", "..."]) + "}",
        lambda: '"pre-${' + sub() + '}-post"',
        lambda: "<<EOT\nline ${" + sub() + "}\nEOT\n",
    ][r]()


def test_it_never_vouches_for_generated_expressions_the_parser_rejects() -> None:
    rng = random.Random(11)
    vouched = 0
    for _ in range(300):
        text = "".join(f"a{i} = {_expression(rng)}\n" for i in range(rng.randrange(1, 3)))
        if rng.random() < 0.5:
            text = f'block "label" {{\n{text}}}\n'
        if certainly_valid(text):
            vouched += 1
            assert parser_accepts(text), text
    assert vouched > 100
