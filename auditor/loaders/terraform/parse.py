"""HCL text to located nodes (`nodes.py`) through python-hcl2's lark parser.

We use `hcl2.parser.parser()` (the LALR parser python-hcl2 builds with `propagate_positions`)
and walk its raw lark tree ourselves: that tree carries line, column and offsets on every
rule, which python-hcl2's higher layers throw away.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from auditor.loaders.terraform import template
from auditor.loaders.terraform.nodes import (
    Attr, BinOp, Block, Call, Cond, Expr, FileAST, ForE, GetAttr, Heredoc, Index, Lit, ObjectE, Part, Splat, Step,
    Traverse, Tmpl, TupleE, UnOp, Var,
)
from auditor.policy.model import Span


def _parser() -> Any:
    from hcl2.parser import parser

    return parser()


class HclSyntaxError(Exception):
    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def one(m: re.Match[str]) -> str:
        e = m.group(0)[1:]
        if e[0] in "uU" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _SIMPLE_ESCAPES.get(e, e)

    return _ESCAPE.sub(one, s)


class _Conv:
    """Converts one lark tree; positions are shifted for snippets parsed out of context."""

    def __init__(self, src: str, file: str, line_delta: int = 0, col_delta: int = 0) -> None:
        self.src = src
        self.file = file
        self.line_delta = line_delta
        self.col_delta = col_delta
        self.errors: list[tuple[Span, str]] = []

    # --- positions ----------------------------------------------------------------------------
    def _pos(self, line: int, col: int) -> tuple[int, int]:
        return line + self.line_delta, col + (self.col_delta if line == 1 else 0)

    def span(self, node: Tree | Token) -> Span:
        if isinstance(node, Token):
            l1, c1 = self._pos(node.line or 1, node.column or 1)
            l2, c2 = self._pos(node.end_line or 1, node.end_column or 1)
        else:
            m = node.meta
            l1, c1 = self._pos(m.line, m.column)
            l2, c2 = self._pos(m.end_line, m.end_column)
        return Span(self.file, l1, c1, l2, c2)

    def span2(self, a: Tree | Token, b: Tree | Token) -> Span:
        s, e = self.span(a), self.span(b)
        return Span(self.file, s.line, s.column, e.end_line, e.end_column)

    def text(self, node: Tree | Token) -> str:
        if isinstance(node, Token):
            return str(node)
        return self.src[node.meta.start_pos : node.meta.end_pos]

    # --- bodies -------------------------------------------------------------------------------
    def body(self, tree: Tree) -> tuple[dict[str, Attr], list[Block]]:
        attrs: dict[str, Attr] = {}
        blocks: list[Block] = []
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                a = self.attribute(child)
                attrs[a.name] = a
            elif child.data == "block":
                blocks.append(self.block(child))
        return attrs, blocks

    def _name(self, node: Tree) -> str:
        if node.data == "string":
            return "".join(str(t.children[0]) for t in node.children if isinstance(t, Tree)
                           and t.children and isinstance(t.children[0], Token))
        tok = node.children[0]
        return str(tok)

    def attribute(self, tree: Tree) -> Attr:
        kids = [c for c in tree.children if isinstance(c, Tree)]
        name_node, value_node = kids[0], kids[-1]
        return Attr(self._name(name_node), self.expr(value_node), self.span(tree), self.span(name_node))

    def block(self, tree: Tree) -> Block:
        head: list[Tree] = []
        body_tree: Tree | None = None
        for c in tree.children:
            if isinstance(c, Tree):
                if c.data == "body":
                    body_tree = c
                elif c.data != "new_line_or_comment":
                    head.append(c)
        attrs, blocks = self.body(body_tree) if body_tree is not None else ({}, [])
        names = [self._name(h) for h in head]
        return Block(names[0], names[1:], attrs, blocks, self.span(tree), self.span2(head[0], head[-1]))

    # --- expressions --------------------------------------------------------------------------
    def expr(self, node: Tree | Token) -> Expr:
        if isinstance(node, Token):
            return Lit(self.span(node), str(node), str(node))
        handler = getattr(self, "x_" + node.data, None)
        if handler is None:
            return Lit(self.span(node), self.text(node), None)
        return handler(node)

    def _trees(self, node: Tree) -> list[Tree]:
        return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    def x_expr_term(self, node: Tree) -> Expr:
        kids = self._trees(node)
        return self.expr(kids[0])

    def x_conditional(self, node: Tree) -> Expr:
        c, a, b = self._trees(node)
        return Cond(self.span(node), self.text(node), self.expr(c), self.expr(a), self.expr(b))

    def x_binary_op(self, node: Tree) -> Expr:
        kids = self._trees(node)
        left, term = kids[0], kids[1]
        tkids = self._trees(term)
        op_tok = tkids[0].children[0]
        return BinOp(self.span(node), self.text(node), str(op_tok).strip(), self.expr(left), self.expr(tkids[1]))

    def x_unary_op(self, node: Tree) -> Expr:
        op = str(node.children[0]).strip()
        return UnOp(self.span(node), self.text(node), op, self.expr(self._trees(node)[0]))

    def x_identifier(self, node: Tree) -> Expr:
        return Var(self.span(node), self.text(node), str(node.children[0]))

    def x_keyword(self, node: Tree) -> Expr:
        return Var(self.span(node), self.text(node), str(node.children[0]))

    def x_literal_value(self, node: Tree) -> Expr:
        word = str(node.children[0])
        return Lit(self.span(node), word, {"true": True, "false": False, "null": None}[word])

    def x_int_lit(self, node: Tree) -> Expr:
        return Lit(self.span(node), self.text(node), int(str(node.children[0])))

    def x_float_lit(self, node: Tree) -> Expr:
        return Lit(self.span(node), self.text(node), float(str(node.children[0])))

    def x_template_string(self, node: Tree) -> Expr:
        raw = str(node.children[0])
        return Lit(self.span(node), raw, _unescape(raw[2:-2]))

    def x_string(self, node: Tree) -> Expr:
        pieces: list[template.Piece] = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "ESCAPED_INTERPOLATION" or inner.type == "ESCAPED_DIRECTIVE":
                    pieces.append(template.Piece("lit", 0, 0, text=str(inner)[1:]))
                else:
                    pieces.append(template.Piece("lit", 0, 0, text=_unescape(str(inner))))
                continue
            kind = inner.data
            strips = [c for c in inner.children if isinstance(c, Token) and c.type == "STRIP_MARKER"]
            first_strip = bool(strips) and inner.children[1] is strips[0]
            last_strip = bool(strips) and inner.children[-2] is strips[-1]
            exprs = [c for c in inner.children if isinstance(c, Tree) and c.data != "identifier"]
            if kind == "interpolation":
                pieces.append(template.Piece("interp", 0, 0, expr=self.expr(self._trees(inner)[0])))
            elif kind == "template_if_start":
                pieces.append(template.Piece("if", 0, 0, expr=self.expr(exprs[0]),
                                             strip_left=first_strip, strip_right=last_strip))
            elif kind == "template_for_start":
                idents = [str(c.children[0]) for c in inner.children if isinstance(c, Tree) and c.data == "identifier"]
                k, v = (idents[0], idents[1]) if len(idents) == 2 else (None, idents[0])
                pieces.append(template.Piece("for", 0, 0, expr=self.expr(exprs[0]), key_var=k, value_var=v,
                                             strip_left=first_strip, strip_right=last_strip))
            else:
                word = {"template_else": "else", "template_endif": "endif", "template_endfor": "endfor"}[kind]
                pieces.append(template.Piece(word, 0, 0, strip_left=first_strip, strip_right=last_strip))
        parts, _, _, _ = template.assemble(pieces)
        span = self.span(node)
        text = self.text(node)
        if all(isinstance(p, str) for p in parts):
            return Lit(span, text, "".join(parts))  # type: ignore[arg-type]
        return Tmpl(span, text, parts)

    def x_heredoc_template(self, node: Tree, trim: bool = False) -> Expr:
        tok = node.children[0]
        raw = str(tok)
        first_nl = raw.index("\n")
        body_and_end = raw[first_nl + 1 :]
        # The closing marker is the last non-empty line.
        stripped = body_and_end.rstrip("\r\n")
        last_nl = stripped.rfind("\n")
        body = stripped[: last_nl + 1] if last_nl >= 0 else ""
        span = self.span(node)
        body_line = span.line + 1
        # A heredoc never starts a snippet, so columns of its body lines are the file's.
        parts, offsets, ends = self._template_parts(body, body_line, 1)
        end_line = body_line + body.count("\n")
        marker_len = len(stripped) - (last_nl + 1)
        return Heredoc(Span(self.file, span.line, span.column, end_line, marker_len + 1), self.text(node),
                       body, parts, offsets, ends, trim, body_line)

    def x_heredoc_template_trim(self, node: Tree) -> Expr:
        return self.x_heredoc_template(node, trim=True)

    def _template_parts(self, body: str, line: int, col: int) -> tuple[list[Part], list[int], list[int]]:
        return template_parts(body, self.file, line, col, self.errors)

    def x_tuple(self, node: Tree) -> Expr:
        return TupleE(self.span(node), self.text(node), [self.expr(c) for c in self._trees(node)])

    def x_object(self, node: Tree) -> Expr:
        items: list[tuple[Expr, Expr]] = []
        for elem in self._trees(node):
            key_tree, value_tree = self._trees(elem)
            key_inner = key_tree.children[0]
            key = self.expr(key_inner)
            # A bare name is the key itself; `(expr)` is evaluated.
            parenthesised = (isinstance(key_inner, Tree) and key_inner.data == "expr_term"
                             and isinstance(key_inner.children[0], Token) and key_inner.children[0].type == "LPAR")
            if isinstance(key, Var) and not parenthesised:
                key = Lit(key.span, key.text, key.name)
            items.append((key, self.expr(value_tree)))
        return ObjectE(self.span(node), self.text(node), items)

    def x_function_call(self, node: Tree) -> Expr:
        idents = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        name = "::".join(idents) if len(idents) > 1 else idents[0]
        if len(idents) == 3:
            name = f"provider::{idents[1]}::{idents[2]}"
        args: list[Expr] = []
        expand = False
        for c in node.children:
            if isinstance(c, Tree) and c.data == "arguments":
                args = [self.expr(a) for a in self._trees(c)]
                expand = any(isinstance(t, Token) and t.type == "ELLIPSIS" for t in c.children)
        return Call(self.span(node), self.text(node), name, args, expand)

    def _traverse(self, node: Tree, obj_tree: Tree, steps: list[Step]) -> Expr:
        obj = self.expr(obj_tree)
        if isinstance(obj, Traverse):
            return Traverse(self.span(node), self.text(node), obj.obj, obj.steps + steps)
        return Traverse(self.span(node), self.text(node), obj, steps)

    def _step(self, node: Tree) -> Step:
        if node.data == "get_attr":
            return GetAttr(str(self._trees(node)[0].children[0]))
        if node.data == "short_index":
            tok = node.children[-1]
            return Index(Lit(self.span(tok), str(tok), int(str(tok))))
        # braces_index
        return Index(self.expr(self._trees(node)[0]))

    def x_index_expr_term(self, node: Tree) -> Expr:
        obj, idx = self._trees(node)
        return self._traverse(node, obj, [self._step(idx)])

    def x_get_attr_expr_term(self, node: Tree) -> Expr:
        obj, attr = self._trees(node)
        return self._traverse(node, obj, [self._step(attr)])

    def x_attr_splat_expr_term(self, node: Tree) -> Expr:
        obj, splat = self._trees(node)
        return self._traverse(node, obj, [Splat()] + [self._step(s) for s in self._trees(splat)])

    x_full_splat_expr_term = x_attr_splat_expr_term

    def _for_parts(self, node: Tree) -> tuple[str | None, str, Expr, Expr | None]:
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        idents = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        coll = [c for c in self._trees(intro) if c.data != "identifier"][0]
        k, v = (idents[0], idents[1]) if len(idents) == 2 else (None, idents[0])
        cond_tree = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        cond = self.expr(self._trees(cond_tree)[0]) if cond_tree is not None else None
        return k, v, self.expr(coll), cond

    def x_for_tuple_expr(self, node: Tree) -> Expr:
        k, v, coll, cond = self._for_parts(node)
        body = [c for c in self._trees(node) if c.data not in ("for_intro", "for_cond")][0]
        return ForE(self.span(node), self.text(node), k, v, coll, None, self.expr(body), cond)

    def x_for_object_expr(self, node: Tree) -> Expr:
        k, v, coll, cond = self._for_parts(node)
        kx, vx = [c for c in self._trees(node) if c.data not in ("for_intro", "for_cond")][:2]
        grouping = any(isinstance(t, Token) and t.type == "ELLIPSIS" for t in node.children)
        return ForE(self.span(node), self.text(node), k, v, coll, self.expr(kx), self.expr(vx), cond, grouping)


# Punctuation the parser may say it expected, as the user writes it.
_TERMINALS = {"RSQB": "']'", "RBRACE": "'}'", "RPAR": "')'", "LBRACE": "'{'", "LSQB": "'['", "LPAR": "'('",
              "COMMA": "','", "EQ": "'='", "COLON": "':'", "DBLQUOTE": "'\"'", "NL_OR_COMMENT": "a new line"}


def _error_span(exc: LarkError, file: str, line_delta: int = 0, col_delta: int = 0) -> tuple[Span, str]:
    line = getattr(exc, "line", 1) or 1
    col = getattr(exc, "column", 1) or 1
    if line < 1:
        line, col = 1, 1
    if line == 1:
        col += col_delta
    line += line_delta
    if isinstance(exc, UnexpectedCharacters):
        ch = exc.char if getattr(exc, "char", None) else "?"
        msg = f"HCL syntax error: unexpected character {ch!r}"
    elif isinstance(exc, UnexpectedEOF):
        msg = "HCL syntax error: unexpected end of file"
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        text = str(tok).strip()
        # The lexer's fallback (STRING_CHARS) swallows the rest of the line: name its first character.
        text = text[:1] if tok.type == "STRING_CHARS" else text.splitlines()[0][:30] if text else ""
        what = "end of file" if tok.type == "$END" else repr(text or tok.type)
        msg = f"HCL syntax error: unexpected {what}"
        wanted = sorted(_TERMINALS[t] for t in (exc.expected or ()) if t in _TERMINALS)
        if wanted and len(wanted) <= 4 and len(wanted) == len(exc.expected or ()):
            msg += ", expected " + " or ".join(wanted)
    else:
        msg = f"HCL syntax error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    end_col = col + 1
    return Span(file, line, col, line, end_col), msg


def parse_hcl(text: str, path: str, file: str, *, tfvars: bool = False) -> FileAST:
    """Parse a `.tf` or `.tfvars` file; a syntax error is recorded on the result."""
    out = FileAST(path, file)
    try:
        tree = _parser().parse(text + "\n")
    except UnexpectedInput as exc:
        out.errors.append(_error_span(exc, file))
        return out
    except LarkError as exc:  # lark's other failures, still positioned when it can
        out.errors.append(_error_span(exc, file))
        return out
    conv = _Conv(text, file)
    body = tree.children[0]
    attrs, blocks = conv.body(body)
    out.errors.extend(conv.errors)
    if tfvars:
        whole = Span(file, 1, 1, text.count("\n") + 1, 1)
        out.blocks.append(Block("tfvars", [], attrs, blocks, whole, Span(file, 1, 1, 1, 1)))
    else:
        out.blocks = blocks
    return out


_PREFIX = "x = "


def parse_expression(text: str, file: str, line: int, col: int) -> Expr:
    """An expression found inside a template at (line, col) of `file`.

    Raises HclSyntaxError with the position of the fault."""
    lead = len(text) - len(text.lstrip())
    # Skipped leading whitespace may hold newlines: start where the expression does.
    skipped = text[:lead]
    if "\n" in skipped:
        line += skipped.count("\n")
        col = len(skipped) - skipped.rfind("\n")
    else:
        col += lead
    body = text.strip()
    src = _PREFIX + body
    line_delta = line - 1
    col_delta = col - 1 - len(_PREFIX)
    try:
        tree = _parser().parse(src + "\n")
    except LarkError as exc:
        span, msg = _error_span(exc, file, line_delta, col_delta)
        raise HclSyntaxError(span, msg) from None
    conv = _Conv(src, file, line_delta, col_delta)
    attrs, _ = conv.body(tree.children[0])
    if "x" not in attrs:
        raise HclSyntaxError(Span(file, line, col, line, col + 1), "HCL syntax error in template expression")
    return attrs["x"].expr


def offset_position(body: str, offset: int, line: int, col: int) -> tuple[int, int]:
    """(line, column) of `offset` in `body`, which starts at (line, col)."""
    nl = body.count("\n", 0, offset)
    if nl == 0:
        return line, col + offset
    return line + nl, offset - body.rfind("\n", 0, offset)


def template_parts(body: str, file: str, line: int, col: int,
                   errors: list[tuple[Span, str]] | None = None) -> tuple[list[Part], list[int], list[int]]:
    """Parse a template text (heredoc body, template file) that starts at (line, col)."""
    pieces, err = template.scan(body)
    if err and errors is not None:
        errors.append((Span(file, line, col, line, col + 1), err))
    for p in pieces:
        if p.kind in ("interp", "if", "for"):
            ln, cl = offset_position(body, p.expr_offset, line, col)
            try:
                p.expr = parse_expression(str(p.expr), file, ln, cl)
            except HclSyntaxError as exc:
                if errors is not None:
                    errors.append((exc.span, exc.message))
                l2, c2 = offset_position(body, p.end, line, col)
                p.expr = Lit(Span(file, ln, cl, l2, c2), str(p.expr), None)
    parts, offsets, ends, err2 = template.assemble(pieces)
    if err2 and errors is not None:
        errors.append((Span(file, line, col, line, col + 1), err2))
    return parts, offsets, ends


__all__ = ["parse_hcl", "parse_expression", "template_parts", "HclSyntaxError", "offset_position"]
