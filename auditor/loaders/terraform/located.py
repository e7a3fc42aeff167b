"""Values that remember where they were written.

Evaluating Terraform moves values around (a local's list becomes a statement's actions, a
module argument becomes a variable), and a finding must still point at the string as written.
So every evaluated value is a `V`: the value, the span of its source, and for containers the
`V`s of its items; object keys keep their own spans. `to_document` flattens a `V` into the
plain document and `LocationMap` that `Policy` wants.
"""

from __future__ import annotations

import json
from typing import Any

from auditor.policy.model import LocationMap, Path, Span
from auditor.policy.values import Hole, Text, unresolved


class V:
    """A located value. `v` is a scalar (str, Text, int, float, bool, None), a list of V or a
    dict of str to V. `doc` marks a dict that stands for its JSON text (`jsonencode(...)`,
    `data.aws_iam_policy_document.x.json`); `source` is how to re-read a string as JSON with
    exact positions (a heredoc, `file()`, `templatefile()`). `failed` marks a hole that stands
    for an evaluation error on known values (an attribute a known object lacks), which `try()`
    skips, rather than for a value unknown until apply, which makes `try()` unknown too."""

    __slots__ = ("v", "span", "keys", "doc", "source", "errors", "failed")

    def __init__(self, v: Any, span: Span | None = None, keys: dict[str, Span] | None = None,
                 doc: bool = False, source: Any = None) -> None:
        self.v = v
        self.span = span
        self.keys = keys
        self.doc = doc
        self.source = source
        # Parse problems of a document this value was read from: (path, message, span).
        self.errors: list[tuple[Path, str, Span]] | None = None
        self.failed = False

    def __repr__(self) -> str:
        return f"V({self.v!r})"

    @property
    def unknown(self) -> bool:
        return isinstance(self.v, Text) and bool(self.v.holes)

    @property
    def is_str(self) -> bool:
        return isinstance(self.v, str)

    def with_span(self, span: Span | None) -> "V":
        if self.span is not None or span is None:
            return self
        out = V(self.v, span, self.keys, self.doc, self.source)
        out.errors = self.errors
        out.failed = self.failed
        return out


def hole(expr: str, span: Span | None, pattern: str | None = None) -> V:
    return V(unresolved(expr, pattern), span)


def failed(expr: str, span: Span | None) -> V:
    """A hole for an expression that fails on known values (Terraform reports an error)."""
    out = hole(expr, span)
    out.failed = True
    return out


def plain(v: V) -> Any:
    """The value without locations (holes stay `Text`)."""
    x = v.v
    if isinstance(x, list):
        return [plain(i) for i in x]
    if isinstance(x, dict):
        return {k: plain(i) for k, i in x.items()}
    return x


def from_plain(x: Any, span: Span | None) -> V:
    """Wrap a plain value; every part gets `span`."""
    if isinstance(x, list):
        return V([from_plain(i, span) for i in x], span)
    if isinstance(x, dict):
        return V({str(k): from_plain(i, span) for k, i in x.items()}, span)
    return V(x, span)


def to_document(v: V, file: str, default: Span | None) -> tuple[Any, LocationMap]:
    locs = LocationMap(file, default=default)

    def walk(x: V, path: Path) -> Any:
        if x.span is not None:
            locs.values[path] = x.span
        if isinstance(x.v, list):
            return [walk(item, path + (i,)) for i, item in enumerate(x.v)]
        if isinstance(x.v, dict):
            out = {}
            for k, item in x.v.items():
                child = path + (k,)
                out[k] = walk(item, child)
                if x.keys and k in x.keys:
                    locs.keys[child] = x.keys[k]
            return out
        return x.v

    doc = walk(v, ())
    return doc, locs


def scalar_text(x: Any) -> str | None:
    """How Terraform shows a primitive inside a string; None for collections."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return repr(int(x)) if x.is_integer() else repr(x)
    if isinstance(x, (int, str)):
        return x if isinstance(x, str) else str(x)
    if x is None:
        return ""
    return None


def render_json(v: V) -> str:
    """The JSON text of a value, holes kept (a `Text` when any part is unknown)."""
    parts: list[str | Hole] = []

    def emit(x: V) -> None:
        val = x.v
        if isinstance(val, Text) and val.holes:
            # A hole standing in a string position: quote around it.
            parts.append('"')
            for p in val.parts:
                parts.append(json.dumps(p)[1:-1] if isinstance(p, str) else p)
            parts.append('"')
        elif isinstance(val, list):
            parts.append("[")
            for i, item in enumerate(val):
                if i:
                    parts.append(",")
                emit(item)
            parts.append("]")
        elif isinstance(val, dict):
            parts.append("{")
            for i, (k, item) in enumerate(val.items()):
                if i:
                    parts.append(",")
                parts.append(json.dumps(str(k)) + ":")
                emit(item)
            parts.append("}")
        else:
            parts.append(json.dumps(val))

    emit(v)
    return Text(parts) if any(isinstance(p, Hole) for p in parts) else "".join(p for p in parts if isinstance(p, str))


def concat_strings(items: list[Any]) -> str:
    """Join strings and Texts (holes kept)."""
    if any(isinstance(i, Text) for i in items):
        return Text(items)
    return "".join(items)
