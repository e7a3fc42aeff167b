"""HCL string templates outside what the grammar parses: heredoc bodies and `templatefile()` files.

python-hcl2's grammar reads a heredoc as one token, so its `${...}` and `%{...}` are found here;
the expressions inside are then parsed by `parse.parse_expression` with their file positions.
Both quoted strings (whose directives the grammar yields flat) and heredocs go through
`assemble`, which nests `%{if}`/`%{for}` and applies `~` strip markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.loaders.terraform.nodes import Expr, ForDirective, IfDirective, Interp, Part


@dataclass(slots=True)
class Piece:
    """One flat element of a template before nesting.

    kind: lit | interp | if | else | endif | for | endfor. `expr` is the expression (source
    text from `scan`, a node once parsed); `start`/`end` are offsets of the whole piece."""

    kind: str
    start: int
    end: int
    text: str = ""  # literal text (lit)
    expr: object = None  # str or Expr
    expr_offset: int = 0  # offset of the expression's first character
    key_var: str | None = None
    value_var: str = ""
    strip_left: bool = False
    strip_right: bool = False


_FOR_HEAD = re.compile(r"\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s", re.S)
_IF_HEAD = re.compile(r"\s*if\s", re.S)
_WORD = re.compile(r"\s*(else|endif|endfor)\s*$", re.S)


def find_close(text: str, i: int) -> int:
    """Offset of the `}` closing a `${` or `%{` whose body starts at `i`; -1 if none."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 2
                    continue
                if text.startswith("${", i):
                    j = find_close(text, i + 2)
                    if j < 0:
                        return -1
                    i = j + 1
                    continue
                i += 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def scan(text: str) -> tuple[list[Piece], str | None]:
    """Flat pieces of a template whose expressions are still source text; an error if a
    `${`/`%{` is not closed (the rest is then literal)."""
    out: list[Piece] = []
    lit: list[str] = []
    lit_start = 0
    i = 0
    n = len(text)
    error: str | None = None

    def flush(at: int) -> None:
        nonlocal lit, lit_start
        if lit:
            out.append(Piece("lit", lit_start, at, text="".join(lit)))
        lit = []
        lit_start = at

    while i < n:
        j = min((k for k in (text.find("${", i), text.find("%{", i)) if k >= 0), default=-1)
        if j < 0:
            lit.append(text[i:])
            break
        # `$${` and `%%{` are escapes for a literal `${` / `%{`.
        if j > 0 and text[j - 1] == text[j] and (j - 1 >= i):
            lit.append(text[i : j - 1] + text[j : j + 2])
            i = j + 2
            continue
        lit.append(text[i:j])
        close = find_close(text, j + 2)
        if close < 0:
            error = f"unclosed '{text[j:j + 2]}' in template"
            lit.append(text[j:])
            break
        flush(j)
        body_start, body_end = j + 2, close
        strip_l = text.startswith("~", body_start)
        strip_r = body_end > body_start and text[body_end - 1] == "~"
        if strip_l:
            body_start += 1
        if strip_r:
            body_end -= 1
        body = text[body_start:body_end]
        if text[j] == "$":
            out.append(Piece("interp", j, close + 1, expr=body, expr_offset=body_start,
                             strip_left=strip_l, strip_right=strip_r))
        else:
            m = _WORD.match(body)
            fm = _FOR_HEAD.match(body)
            im = _IF_HEAD.match(body)
            if m:
                out.append(Piece(m.group(1), j, close + 1, strip_left=strip_l, strip_right=strip_r))
            elif fm:
                k, v = (fm.group(1), fm.group(2)) if fm.group(2) else (None, fm.group(1))
                out.append(Piece("for", j, close + 1, expr=body[fm.end():], expr_offset=body_start + fm.end(),
                                 key_var=k, value_var=v or "", strip_left=strip_l, strip_right=strip_r))
            elif im:
                out.append(Piece("if", j, close + 1, expr=body[im.end():], expr_offset=body_start + im.end(),
                                 strip_left=strip_l, strip_right=strip_r))
            else:
                error = f"unknown template directive '%{{{body.strip()}}}'"
                lit.append(text[j : close + 1])
        i = close + 1
        lit_start = i
    flush(n)
    return out, error


def assemble(pieces: list[Piece]) -> tuple[list[Part], list[int], list[int], str | None]:
    """Nest directives; returns the top-level parts with the start and end offset of each,
    and an error for an unbalanced directive (the parts are then best effort)."""
    _apply_strips(pieces)
    root: list[Part] = []
    offsets: list[int] = []
    ends: list[int] = []
    # Each frame: (piece kind, node, list being filled)
    stack: list[tuple[str, object, list[Part]]] = []
    error: str | None = None

    def current() -> list[Part]:
        return stack[-1][2] if stack else root

    def add(part: Part, p: Piece) -> None:
        if not stack:
            offsets.append(p.start)
            ends.append(p.end)
        current().append(part)

    for p in pieces:
        if p.kind == "lit":
            if p.text:
                add(p.text, p)
        elif p.kind == "interp":
            add(Interp(p.expr, p.strip_left, p.strip_right), p)  # type: ignore[arg-type]
        elif p.kind == "if":
            node = IfDirective(p.expr, [], [])  # type: ignore[arg-type]
            add(node, p)
            stack.append(("if", node, node.then))
        elif p.kind == "else":
            if stack and stack[-1][0] == "if":
                _, if_node, _ = stack.pop()
                assert isinstance(if_node, IfDirective)
                stack.append(("else", if_node, if_node.orelse))
            else:
                error = "'%{else}' without '%{if}'"
        elif p.kind == "endif":
            if stack and stack[-1][0] in ("if", "else"):
                stack.pop()
            else:
                error = "'%{endif}' without '%{if}'"
        elif p.kind == "for":
            node2 = ForDirective(p.key_var, p.value_var, p.expr, [])  # type: ignore[arg-type]
            add(node2, p)
            stack.append(("for", node2, node2.body))
        elif p.kind == "endfor":
            if stack and stack[-1][0] == "for":
                stack.pop()
            else:
                error = "'%{endfor}' without '%{for}'"
    if stack:
        error = f"'%{{{stack[-1][0]}}}' is not closed"
    if stack and offsets:
        # The unclosed directive runs to the end of the template.
        ends[-1] = pieces[-1].end if pieces else ends[-1]
    return root, offsets, ends, error


def _apply_strips(pieces: list[Piece]) -> None:
    for i, p in enumerate(pieces):
        if p.kind == "lit":
            continue
        if p.strip_left and i > 0 and pieces[i - 1].kind == "lit":
            pieces[i - 1].text = pieces[i - 1].text.rstrip()
        if p.strip_right and i + 1 < len(pieces) and pieces[i + 1].kind == "lit":
            pieces[i + 1].text = pieces[i + 1].text.lstrip()


def has_directives(parts: list[Part]) -> bool:
    return any(isinstance(p, (IfDirective, ForDirective)) for p in parts)


def interp_exprs(parts: list[Part]) -> list[Expr]:
    return [p.expr for p in parts if isinstance(p, Interp)]
