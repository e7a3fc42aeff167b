"""Where each character of a string's value stands in the file that writes it.

A string's value is not its source text: YAML strips block indentation and folds lines, and
YAML, JSON and HCL decode escapes (`"{\\"Version\\": ...}"`). `char_positions` walks the source
beside the value and gives the source position of every character of the value, so a JSON
policy held in a string can be parsed from the value and each span moved back into the file
(`relocation`). Shared by the CloudFormation loader (strings in templates) and the Terraform
one (strings in `.tf` and `.tf.json` files). Imports no parser.
"""

from __future__ import annotations

from typing import Callable

from auditor.policy.model import Span

# (line, column, end line, end column), 1-based, end exclusive.
RawSpan = tuple[int, int, int, int]

# YAML's double-quoted escapes, a superset of JSON's and HCL's.
_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def char_positions(lines: list[str], start: RawSpan, style: str | None, value: str) -> list[tuple[int, int]] | None:
    """The (0-based line, column) in the source of each character of `value`, plus one entry
    for the position just after it; None when the source cannot be aligned with the value.
    `start` is where the scalar (or a tag before it) starts; `style` is YAML's scalar style
    ('|', '>', '"', "'", '' for plain; '"' for a JSON or HCL string too)."""
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
            if decoded != value[i] and "\ud800" <= decoded <= "\udbff":
                # A surrogate pair written as two escapes (JSON's `\ud83d\ude00`): one character.
                low, width2 = _escape(text, col + width)
                if low is not None and "\udc00" <= low <= "\udfff":
                    pair = chr(0x10000 + ((ord(decoded) - 0xD800) << 10) + (ord(low) - 0xDC00))
                    if pair == value[i]:
                        decoded, width = pair, width + width2
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


def string_positions(raw: str, line: int, column: int, value: str) -> list[tuple[int, int]] | None:
    """`char_positions` of a double-quoted one-line string token `raw` (quotes included, as in
    a JSON or HCL file) that starts at (`line`, `column`), 1-based."""
    found = char_positions([raw], (1, 1, 1, 1), '"', value)
    if found is None:
        return None
    return [(line - 1 + ln, column - 1 + c) for ln, c in found]


def relocation(value: str, positions: list[tuple[int, int]], file: str) -> Callable[[Span], Span]:
    """Moves a span found in `value` (parsed on its own, from line 1 column 1) to the file,
    given `char_positions` of the value."""
    starts = [0]
    for k, ch in enumerate(value):
        if ch == "\n":
            starts.append(k + 1)

    def at(line: int, column: int) -> tuple[int, int]:
        idx = starts[min(max(line, 1), len(starts)) - 1] + column - 1
        return positions[min(max(idx, 0), len(positions) - 1)]

    def move(s: Span) -> Span:
        a = at(s.line, s.column)
        b = at(s.end_line, s.end_column)
        return Span(file, a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)

    return move
