"""JSON written as text in Terraform: heredocs, `file()`, `templatefile()`, JSON strings.

The JSON is parsed by the located parser (`auditor.policy.jsonloc`) on the text as it stands in
the file, so spans are exact. An interpolation `${...}` is first replaced by a private-use
marker of the same width (quoted when it stands outside a JSON string), which keeps every
column in place; after parsing, each marker is replaced by the interpolation's value, so
`"${aws_connect_instance.main.arn}/user/*"` becomes a `Text` with a located hole and
`"Action": ${jsonencode(local.actions)}` takes the located list of the local.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from auditor.loaders.terraform.located import V, from_plain, scalar_text
from auditor.loaders.textpos import relocation, string_positions
from auditor.policy import jsonloc
from auditor.policy.model import Path, Span
from auditor.policy.values import Hole, Text

_MARK0 = 0xE000
_PAD = "\uf8ff"
_ESCAPED = "\uf8fe"  # stands for the `$`/`%` dropped from a `$${` / `%%{` escape
_MARKER = re.compile("([\ue000-\uf8fd])\uf8ff*")
_MAX_MARKS = 0xF8FD - _MARK0
# A quote (not escaped) toggles a JSON string; a line break ends one (JSON strings hold none).
_STRING_EDGE = re.compile(r'\\.|"|\n', re.S)


@dataclass
class JsonSource:
    """Text that may be read as a JSON document.

    `segments` is the text cut at interpolations: a `str` is text as in the file; a
    `(width, V)` is an interpolation `width` characters wide with its value. `template` says
    whether `$${`/`%%{` escapes apply. `exact` is False when directives made the text differ from
    the file (spans then only approximate the place). `raw` is set when the text is a quoted
    string's value (JSON in `"{\"Version\": ...}"`): the string as written, quotes included,
    starting at (`line`, `col`), and `decoded` the value the segments make up; escapes shift
    columns, so positions are mapped character by character (`auditor.loaders.textpos`)."""

    segments: list[str | tuple[int, V]]
    file: str
    line: int
    col: int
    template: bool = False
    exact: bool = True
    span: Span | None = None  # where the whole text stands (used for values without a place)
    # Display files the text was read from (for the loader's bookkeeping of consumed files).
    consumed: list[str] = field(default_factory=list)
    raw: str | None = None
    decoded: str | None = None


def _mask(source: JsonSource) -> tuple[str, list[tuple[V, bool]]]:
    """The text with interpolations replaced by markers; each mark's value and whether it
    stands outside a JSON string."""
    out: list[str] = []
    marks: list[tuple[V, bool]] = []
    in_string = False
    last_interp = max((i for i, seg in enumerate(source.segments) if not isinstance(seg, str)), default=-1)
    for index, seg in enumerate(source.segments):
        if isinstance(seg, str):
            text = seg
            if source.template:
                text = text.replace("$${", _ESCAPED + "${").replace("%%{", _ESCAPED + "%{")
            if index < last_interp:
                # Whether the next interpolation stands inside a JSON string.
                for m in _STRING_EDGE.finditer(text):
                    c = m.group(0)
                    if c == '"':
                        in_string = not in_string
                    elif c == "\n":
                        in_string = False
            out.append(text)
            continue
        width, value = seg
        k = len(marks)
        if k >= _MAX_MARKS:
            out.append(" " * width)
            continue
        mark = chr(_MARK0 + k)
        if in_string:
            out.append(mark + _PAD * max(0, width - 1))
            marks.append((value, False))
        else:
            body = '"' + mark + '"'
            out.append(body + " " * max(0, width - len(body)))
            marks.append((value, True))
    return "".join(out), marks


def parse(source: JsonSource) -> tuple[V | None, list[tuple[Path, str, Span]], bool]:
    """The document as a located value, the parse errors (path, message, span), and whether
    the parse failed outright."""
    text, marks = _mask(source)
    exact = source.exact
    if source.raw is not None and source.decoded is not None and exact:
        result, exact = _parse_string(text, source)
    else:
        result = jsonloc.parse(text, source.file, source.line - 1, source.col - 1, 0)
    errors = [(e.path, e.message, e.span if exact else (source.span or e.span)) for e in result.errors]
    if result.value is None:
        return None, errors, True
    locs = result.locations

    def build(x: Any, path: Path) -> V:
        span = locs.values.get(path) if exact else source.span
        if isinstance(x, dict):
            items: dict[str, V] = {}
            keys: dict[str, Span] = {}
            for k, item in x.items():
                key = _fill_key(k, marks)
                items[key] = build(item, path + (k,))
                ks = locs.keys.get(path + (k,)) if exact else source.span
                if ks is not None:
                    keys[key] = ks
            return V(items, span, keys)
        if isinstance(x, list):
            return V([build(item, path + (i,)) for i, item in enumerate(x)], span)
        if isinstance(x, str):
            return _fill(x, span, marks)
        return V(x, span)

    return build(result.value, ()), errors, False


def _parse_string(text: str, source: JsonSource) -> tuple[jsonloc.ParseResult, bool]:
    """Parse JSON held in a quoted string, spans moved to where each character is written;
    and whether they could be (else every place is the whole string)."""
    assert source.raw is not None and source.decoded is not None
    result = jsonloc.parse(text, source.file)
    positions = string_positions(source.raw, source.line, source.col, source.decoded)
    if positions is None or len(source.decoded) != len(text):
        return result, False
    move = relocation(source.decoded, positions, source.file)
    locs = result.locations
    locs.values = {p: move(sp) for p, sp in locs.values.items()}
    locs.keys = {p: move(sp) for p, sp in locs.keys.items()}
    for e in result.errors:
        e.span = move(e.span)
    return result, True


def _fill_key(k: str, marks: list[tuple[V, bool]]) -> str:
    if _ESCAPED in k:
        k = k.replace(_ESCAPED, "")
    if not _MARKER.search(k):
        return k
    v = _fill(k, None, marks)
    # A key with holes stays a Text, so rules can tell it is not known.
    return v.v if isinstance(v.v, str) else str(v.v)


def _fill(s: str, span: Span | None, marks: list[tuple[V, bool]]) -> V:
    if _ESCAPED in s:
        s = s.replace(_ESCAPED, "")
    if not _MARKER.search(s):
        return V(s, span)
    pieces = _MARKER.split(s)
    # pieces: text, mark, text, mark, ..., text
    if len(pieces) == 3 and pieces[0] == "" and pieces[2] == "":
        value, outside = marks[ord(pieces[1]) - _MARK0]
        if outside:
            # A whole JSON value from an interpolation: the value itself, as JSON if it is text.
            return _as_json_value(value, span)
    parts: list[str | Hole] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if piece:
                parts.append(piece)
            continue
        value, _ = marks[ord(piece) - _MARK0]
        parts.extend(_string_parts(value))
    if any(isinstance(p, Hole) or isinstance(p, Text) for p in parts):
        return V(Text(parts), span)
    return V("".join(p for p in parts if isinstance(p, str)), span)


def _string_parts(value: V) -> list[Any]:
    x = value.v
    if isinstance(x, Text):
        return [x]
    text = scalar_text(x)
    if text is not None:
        return [text]
    # A collection inside a string cannot be known from here.
    return [Hole(_describe(value))]


def _describe(value: V) -> str:
    try:
        return json.dumps(_plainish(value))
    except (TypeError, ValueError):
        return "..."


def _plainish(v: V) -> Any:
    if isinstance(v.v, list):
        return [_plainish(i) for i in v.v]
    if isinstance(v.v, dict):
        return {k: _plainish(i) for k, i in v.v.items()}
    return str(v.v) if isinstance(v.v, Text) else v.v


def _as_json_value(value: V, span: Span | None) -> V:
    """An interpolation standing where a JSON value goes (`"Action": ${jsonencode(x)}`)."""
    if value.doc or isinstance(value.v, (list, dict)):
        return value.with_span(span)
    if isinstance(value.v, Text):
        return value.with_span(span)
    if isinstance(value.v, str):
        # A JSON fragment held in a string (`${var.actions_json}`).
        if value.source is not None:
            tree, _, fatal = parse(value.source)
            if tree is not None and not fatal:
                return tree
        try:
            return from_plain(json.loads(value.v), value.span or span)
        except ValueError:
            return V(value.v, value.span or span)
    return value.with_span(span)


def plain_source(text: str, file: str, line: int = 1, col: int = 1, span: Span | None = None,
                 exact: bool = True) -> JsonSource:
    return JsonSource([text], file, line, col, template=False, exact=exact, span=span)
