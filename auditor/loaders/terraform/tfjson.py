"""Terraform's JSON syntax (`*.tf.json`) to the same located nodes as HCL.

JSON strings are templates (`"${aws_connect_instance.main.arn}/user/*"`), parsed with positions
inside the string; nested blocks are recognised by name, as Terraform's schema would.
"""

from __future__ import annotations

from typing import Any

from auditor.loaders.terraform.nodes import Attr, Block, Expr, FileAST, Heredoc, Lit, ObjectE, Tmpl, TupleE
from auditor.loaders.terraform.parse import template_parts
from auditor.policy import jsonloc
from auditor.policy.model import LocationMap, Path, Span

# Argument names that are nested blocks in the resources and data sources we read.
NESTED = {"statement", "principals", "not_principals", "condition", "inline_policy", "content", "lifecycle"}
LABELLED = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}


class _Conv:
    def __init__(self, file: str, locs: LocationMap, errors: list[tuple[Span, str]], text: str = "") -> None:
        self.file = file
        self.locs = locs
        self.errors = errors
        self.text = text
        self._lines: list[str] | None = None

    def raw(self, span: Span) -> str | None:
        """The string as written at `span` (quotes included), if on one line."""
        if span.line != span.end_line:
            return None
        if self._lines is None:
            self._lines = self.text.split("\n")
        if span.line > len(self._lines):
            return None
        raw = self._lines[span.line - 1][span.column - 1 : span.end_column - 1]
        return raw if raw[:1] == '"' else None

    def span(self, path: Path) -> Span:
        return self.locs.value(path)

    def key_span(self, path: Path) -> Span:
        return self.locs.key(path)

    def expr(self, x: Any, path: Path) -> Expr:
        span = self.span(path)
        if isinstance(x, str):
            return self.string(x, span)
        if isinstance(x, list):
            return TupleE(span, "[...]", [self.expr(i, path + (n,)) for n, i in enumerate(x)])
        if isinstance(x, dict):
            items: list[tuple[Expr, Expr]] = [(Lit(self.key_span(path + (k,)), k, k), self.expr(v, path + (k,)))
                                              for k, v in x.items()]
            return ObjectE(span, "{...}", items)
        return Lit(span, str(x), x)

    def string(self, s: str, span: Span) -> Expr:
        # A JSON document in the string (`"policy": "{\"Version\": ...}"`) keeps the string as
        # written, so the document is located inside it, escapes and all.
        raw = self.raw(span) if s.lstrip()[:1] == "{" else None
        if "${" not in s and "%{" not in s:
            return Lit(span, raw or s, s)
        # Positions inside the string assume no escapes before them (one column per character).
        parts, offsets, ends = template_parts(s, self.file, span.line, span.column + 1, self.errors)
        if len(parts) == 1 and not isinstance(parts[0], str) and s.startswith("${") and s.endswith("}"):
            return Tmpl(span, s, parts)
        if all(isinstance(p, str) for p in parts):
            return Lit(span, raw or s, "".join(parts))  # type: ignore[arg-type]
        if raw is not None:
            return Heredoc(span, s, s, parts, offsets, ends, False, span.line, span.column + 1, raw)
        return Tmpl(span, s, parts)

    def body(self, obj: Any, path: Path, type_: str, labels: list[str]) -> Block:
        attrs: dict[str, Attr] = {}
        blocks: list[Block] = []
        if isinstance(obj, dict):
            for k, v in obj.items():
                p = path + (k,)
                if k == "dynamic" and isinstance(v, dict):
                    for label, inner in v.items():
                        for b_obj, b_path in _each(inner, p + (label,)):
                            blocks.append(self.body(b_obj, b_path, "dynamic", [label]))
                elif k in NESTED and isinstance(v, (dict, list)):
                    for b_obj, b_path in _each(v, p):
                        blocks.append(self.body(b_obj, b_path, k, []))
                else:
                    attrs[k] = Attr(k, self.expr(v, p), self.span(p), self.key_span(p))
        span = self.span(path)
        return Block(type_, labels, attrs, blocks, span, self.key_span(path))


def _each(v: Any, path: Path) -> list[tuple[Any, Path]]:
    if isinstance(v, list):
        return [(item, path + (i,)) for i, item in enumerate(v)]
    return [(v, path)]


def parse_tf_json(text: str, path: str, file: str) -> FileAST:
    out = FileAST(path, file)
    result = jsonloc.parse(text, file)
    for e in result.errors:
        if e.fatal:
            out.errors.append((e.span, f"JSON syntax error: {e.message}"))
    doc = result.value
    if not isinstance(doc, dict):
        if doc is not None:
            out.errors.append((Span(file, 1, 1, 1, 2), "a .tf.json file must hold a JSON object"))
        return out
    conv = _Conv(file, result.locations, out.errors, text)
    for top, body in doc.items():
        n = LABELLED.get(top, 0)
        if top == "locals":
            for item, p in _each(body, (top,)):
                out.blocks.append(conv.body(item, p, "locals", []))
        elif n == 1 and isinstance(body, dict):
            for name, inner in body.items():
                for item, p in _each(inner, (top, name)):
                    out.blocks.append(conv.body(item, p, top, [name]))
        elif n == 2 and isinstance(body, dict):
            for rtype, named in body.items():
                if not isinstance(named, dict):
                    continue
                for name, inner in named.items():
                    for item, p in _each(inner, (top, rtype, name)):
                        out.blocks.append(conv.body(item, p, top, [rtype, name]))
    return out


def parse_tfvars_json(text: str, path: str, file: str) -> FileAST:
    out = FileAST(path, file)
    result = jsonloc.parse(text, file)
    for e in result.errors:
        if e.fatal:
            out.errors.append((e.span, f"JSON syntax error: {e.message}"))
    if isinstance(result.value, dict):
        conv = _Conv(file, result.locations, out.errors, text)
        out.blocks.append(conv.body(result.value, (), "tfvars", []))
    return out


__all__ = ["parse_tf_json", "parse_tfvars_json"]
