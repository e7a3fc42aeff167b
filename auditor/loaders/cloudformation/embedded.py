"""Policy documents written as JSON strings inside a template, located to the character.

A string's value is not its source text: YAML strips block indentation, folds lines and
decodes escapes (`"{\\"Version\\": ...}"` in a JSON template). `char_positions` walks the
source beside the value and gives the source position of every character of the value, so
the located JSON parser can run on the value and each span is then moved back into the file.
"""

from __future__ import annotations

from typing import Any

from auditor.policy import jsonloc
from auditor.policy.model import LocationMap, Path, Span

from .yaml_marks import RawSpan

_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def char_positions(lines: list[str], start: RawSpan, style: str | None, value: str) -> list[tuple[int, int]] | None:
    """The (0-based line, column) in the source of each character of `value`, plus one entry
    for the position just after it; None when the source cannot be aligned with the value."""
    line, col = start[0] - 1, start[1] - 1
    n_lines = len(lines)
    if line >= n_lines:
        return None
    text = lines[line]
    # A tag or anchor before the scalar (`!Sub |`, `&a "..."`).
    while col < len(text) and text[col] in "!&":
        while col < len(text) and not text[col].isspace():
            col += 1
        while col < len(text) and text[col] in " \t":
            col += 1
    indent = 0
    if style in ("|", ">"):
        # Content starts on the next line at the indentation of its first non-blank line.
        line += 1
        col = 0
        for probe in lines[line:]:
            if probe.strip():
                indent = len(probe) - len(probe.lstrip(" "))
                break
        col = min(indent, len(lines[line]) if line < n_lines else 0)
    elif style in ('"', "'"):
        col += 1  # the opening quote
    out: list[tuple[int, int]] = []
    i = 0
    n = len(value)
    while i < n:
        if line >= n_lines:
            return None
        text = lines[line]
        if col >= len(text):
            # A line break in the source: it stands for "\n" or " " in the value, or nothing.
            if value[i] in "\n ":
                out.append((line, col))
                i += 1
            line += 1
            col = min(indent, len(lines[line])) if style in ("|", ">") and line < n_lines else 0
            continue
        c = text[col]
        if style == '"' and c == "\\":
            decoded, width = _escape(text, col)
            if decoded is None:  # a line continuation: nothing in the value
                line += 1
                col = 0
                continue
            if decoded == value[i]:
                out.append((line, col))
                i += 1
            col += width
            continue
        if c == value[i]:
            out.append((line, col))
            i += 1
        col += 1
    out.append((line, col))
    return out


def _escape(text: str, col: int) -> tuple[str | None, int]:
    """The character a double-quoted escape at `col` stands for, and its width."""
    e = text[col + 1 : col + 2]
    if e == "":
        return None, 1
    if e in _HEX_ESCAPES:
        k = _HEX_ESCAPES[e]
        digits = text[col + 2 : col + 2 + k]
        try:
            return chr(int(digits, 16)), 2 + k
        except ValueError:
            return e, 2
    return _SIMPLE_ESCAPES.get(e, e), 2


def parse_located(value: str, file: str, lines: list[str], span: RawSpan, style: str | None
                  ) -> tuple[Any, LocationMap, list[tuple[Path, str, Span]], bool]:
    """Parse a JSON policy held in a template string. Returns the document, its locations in
    the template, its syntax faults (path, message, span) and whether it was unparsable."""
    result = jsonloc.parse(value, file)
    positions = char_positions(lines, span, style, value)
    whole = Span(file, *span)
    if positions is None:
        # Cannot align (an exotic scalar): every location falls back to the whole string.
        locs = LocationMap(file, default=whole)
        errors = [(tuple(e.path), e.message, whole) for e in result.errors]
        return result.value, locs, errors, result.fatal
    starts = [0]
    for k, ch in enumerate(value):
        if ch == "\n":
            starts.append(k + 1)

    def move(s: Span) -> Span:
        a = _at(starts, positions, s.line, s.column)
        b = _at(starts, positions, s.end_line, s.end_column)
        return Span(file, a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)

    locs = LocationMap(file, default=whole)
    locs.values = {p: move(s) for p, s in result.locations.values.items()}
    locs.keys = {p: move(s) for p, s in result.locations.keys.items()}
    errors = [(tuple(e.path), e.message, move(e.span)) for e in result.errors]
    return result.value, locs, errors, result.fatal


def _at(starts: list[int], positions: list[tuple[int, int]], line: int, column: int) -> tuple[int, int]:
    idx = starts[min(max(line, 1), len(starts)) - 1] + column - 1
    return positions[min(max(idx, 0), len(positions) - 1)]
