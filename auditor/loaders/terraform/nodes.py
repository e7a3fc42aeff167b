"""A small, picklable syntax tree of HCL with a span on every node.

python-hcl2's own tree (LarkElement) drops positions and its dict output has none (`with_meta`
is a no-op, upstream issue #291), so `parse.py` turns lark's parse tree, which does carry
line and column, into these nodes. They are plain slotted classes so worker processes can
send them back cheaply, and each expression keeps its source text so an unresolved value can
show what was written (`${aws_connect_instance.main.arn}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from auditor.policy.model import Span


@dataclass(slots=True)
class Expr:
    span: Span
    text: str


@dataclass(slots=True)
class Lit(Expr):
    """null, a bool, a number or a string without interpolation."""

    value: object


@dataclass(slots=True)
class Interp:
    expr: Expr
    strip_left: bool = False
    strip_right: bool = False


@dataclass(slots=True)
class IfDirective:
    cond: Expr
    then: list["Part"]
    orelse: list["Part"]


@dataclass(slots=True)
class ForDirective:
    key_var: str | None
    value_var: str
    collection: Expr
    body: list["Part"]


Part = Union[str, Interp, IfDirective, ForDirective]


@dataclass(slots=True)
class Tmpl(Expr):
    """A quoted string with interpolations or directives."""

    parts: list[Part]


@dataclass(slots=True)
class Heredoc(Expr):
    """`<<EOF` / `<<-EOF`. `body` is the raw text as in the file (before trimming), starting at
    (`body_line`, column 1), so JSON inside it can be parsed with exact positions; `parts`
    holds the parsed template with `part_offsets[i]` the offset in `body` where part i starts."""

    body: str
    parts: list[Part]
    part_offsets: list[int]
    part_ends: list[int]
    trim: bool
    body_line: int
    body_col: int = 1
    # A `.tf.json` string holding a JSON document with interpolations is read as a heredoc
    # whose `body` is the string's value; `raw` is the string as written (quotes included,
    # escapes shift columns), starting where `span` does.
    raw: str | None = None


@dataclass(slots=True)
class TupleE(Expr):
    items: list[Expr]


@dataclass(slots=True)
class ObjectE(Expr):
    items: list[tuple[Expr, Expr]]


@dataclass(slots=True)
class Var(Expr):
    """A bare identifier: `var`, `local`, `aws_connect_instance`, an iterator name."""

    name: str


@dataclass(slots=True)
class GetAttr:
    name: str


@dataclass(slots=True)
class Index:
    key: Expr


@dataclass(slots=True)
class Splat:
    pass


Step = Union[GetAttr, Index, Splat]


@dataclass(slots=True)
class Traverse(Expr):
    obj: Expr
    steps: list[Step]


@dataclass(slots=True)
class Call(Expr):
    name: str
    args: list[Expr]
    expand_last: bool = False


@dataclass(slots=True)
class Cond(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(slots=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(slots=True)
class UnOp(Expr):
    op: str
    operand: Expr


@dataclass(slots=True)
class ForE(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key_expr: Expr | None  # set for `{for ...: k => v}`
    value_expr: Expr
    cond: Expr | None
    grouping: bool = False


@dataclass(slots=True)
class Attr:
    name: str
    expr: Expr
    span: Span  # the whole `name = value`
    name_span: Span


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    attrs: dict[str, Attr]
    blocks: list["Block"]
    span: Span
    header: Span  # from the type to the last label, where findings about the block point

    def children(self, type_: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == type_]


@dataclass(slots=True)
class FileAST:
    """One parsed file: its top-level blocks (a `.tfvars` file is one pseudo-block `tfvars`)."""

    path: str  # filesystem path
    file: str  # display path
    blocks: list[Block] = field(default_factory=list)
    errors: list[tuple[Span, str]] = field(default_factory=list)


def ref_root(expr: Expr) -> tuple[str, list[Step]] | None:
    """`aws_iam_role.x.name` -> ("aws_iam_role", [GetAttr x, GetAttr name]); None if not a reference."""
    if isinstance(expr, Traverse) and isinstance(expr.obj, Var):
        return expr.obj.name, expr.steps
    if isinstance(expr, Var):
        return expr.name, []
    if isinstance(expr, Tmpl) and len(expr.parts) == 1 and isinstance(expr.parts[0], Interp):
        return ref_root(expr.parts[0].expr)
    return None
