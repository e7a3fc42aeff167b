"""A strict JSON parser that remembers where every value and key is, and recovers.

`json.loads` stops at the first fault and keeps no positions. Policies copied from
documentation carry trailing commas and missing commas; we want each fault reported at its
line and column and the rest of the policy still audited, so this parser records the fault
and carries on where the intent is unambiguous. It never raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from auditor.policy.model import LocationMap, Path, Span

_WS = " \t\r\n"
_WS_RUN = re.compile(r"[ \t\r\n]*")
_PLAIN_STRING = re.compile(r'"([^"\\\n\x00-\x1f]*)"')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_BAREWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass
class JsonError:
    span: Span
    message: str
    # The path of the container the fault is in (for findings inside a policy).
    path: Path = ()
    fatal: bool = False


@dataclass
class ParseResult:
    value: Any
    locations: LocationMap
    errors: list[JsonError] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.errors)


class _Fatal(Exception):
    pass


class _Parser:
    def __init__(self, text: str, file: str, line_offset: int, col_offset: int, indent: int) -> None:
        self.text = text
        self.file = file
        self.pos = 0
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.indent = indent
        self.locs = LocationMap(file)
        self.errors: list[JsonError] = []
        # Start offset of each line, for offset -> (line, column).
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # --- positions -------------------------------------------------------------------------
    def where(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        col = offset - self.line_starts[lo] + 1
        col += self.col_offset if lo == 0 else self.indent
        return lo + 1 + self.line_offset, col

    def span(self, start: int, end: int) -> Span:
        l1, c1 = self.where(start)
        l2, c2 = self.where(max(start, end))
        return Span(self.file, l1, c1, l2, c2)

    def error(self, start: int, end: int, message: str, path: Path, fatal: bool = False) -> None:
        self.errors.append(JsonError(self.span(start, end), message, path, fatal))

    # --- scanning --------------------------------------------------------------------------
    def skip_ws(self) -> None:
        text, n = self.text, len(self.text)
        self.pos = _WS_RUN.match(text, self.pos).end()  # type: ignore[union-attr]
        if self.pos >= n or text[self.pos] != "/":
            return  # no comment: the common case
        while self.pos < n:
            c = text[self.pos]
            if c in _WS:
                self.pos += 1
            elif text.startswith("//", self.pos) or text.startswith("/*", self.pos):
                start = self.pos
                end = text.find("\n", start) if c == "/" and text[start + 1] == "/" else text.find("*/", start)
                self.pos = n if end < 0 else end + (2 if text[start + 1] == "*" else 0)
                self.error(start, self.pos, "comments are not allowed in JSON", ())
            else:
                break

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    # --- grammar ---------------------------------------------------------------------------
    def parse_document(self) -> Any:
        self.skip_ws()
        if self.pos >= len(self.text):
            self.error(0, 0, "empty document: expected a JSON value", (), fatal=True)
            return None
        try:
            value = self.value(())
        except _Fatal:
            return None
        self.skip_ws()
        if self.pos < len(self.text):
            self.error(self.pos, self.pos + 1, f"unexpected {self.describe(self.pos)} after the end of the document", ())
        return value

    def describe(self, pos: int) -> str:
        if pos >= len(self.text):
            return "end of input"
        return repr(self.text[pos])

    def value(self, path: Path) -> Any:
        self.skip_ws()
        start = self.pos
        c = self.peek()
        if c == "{":
            v: Any = self.obj(path)
        elif c == "[":
            v = self.arr(path)
        elif c == '"':
            v = self.string(path)
        else:
            m = _NUMBER.match(self.text, self.pos)
            if m and c in "-0123456789":
                self.pos = m.end()
                s = m.group(0)
                v = float(s) if any(ch in s for ch in ".eE") else int(s)
            else:
                w = _BAREWORD.match(self.text, self.pos)
                word = w.group(0) if w else ""
                if word in ("true", "false", "null"):
                    self.pos = w.end()  # type: ignore[union-attr]
                    v = {"true": True, "false": False, "null": None}[word]
                else:
                    end = w.end() if w else self.pos + 1
                    what = f"'{word}'" if word else self.describe(self.pos)
                    self.error(start, end, f"expected a JSON value, found {what}", path, fatal=True)
                    raise _Fatal
        self.locs.values[path] = self.span(start, self.pos)
        return v

    def string(self, path: Path) -> str:
        start = self.pos
        # The common case, a plain string, in one regex step; escapes and faults go the slow way.
        m = _PLAIN_STRING.match(self.text, start)
        if m:
            self.pos = m.end()
            return m.group(1)
        self.pos += 1
        out: list[str] = []
        text, n = self.text, len(self.text)
        while True:
            if self.pos >= n:
                self.error(start, n, "unterminated string", path, fatal=True)
                raise _Fatal
            c = text[self.pos]
            if c == '"':
                self.pos += 1
                return "".join(out)
            if c == "\\":
                e = text[self.pos + 1 : self.pos + 2]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    self.pos += 2
                elif e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[self.pos + 2 : self.pos + 6]):
                    out.append(chr(int(text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                else:
                    self.error(self.pos, self.pos + 2, f"invalid escape \\{e} in string", path)
                    out.append(e)
                    self.pos += 2
                continue
            if c == "\n":
                self.error(start, self.pos, "unterminated string (a line break inside a string)", path, fatal=True)
                raise _Fatal
            if c < " ":
                # JSON forbids raw control characters (a pasted tab); IAM rejects the document.
                self.error(self.pos, self.pos + 1, f"control character U+{ord(c):04X} inside a string: write it "
                           f"escaped, e.g. \\u{ord(c):04x}", path)
            out.append(c)
            self.pos += 1

    def obj(self, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}

        def member() -> None:
            c = self.peek()
            if c != '"':
                w = _BAREWORD.match(self.text, self.pos)
                end = w.end() if w else self.pos + 1
                self.error(self.pos, end, f"expected a member name in double quotes, found {self.describe(self.pos)}",
                           path, fatal=True)
                raise _Fatal
            key_start = self.pos
            key = self.string(path)
            key_span = self.span(key_start, self.pos)
            self.skip_ws()
            if self.peek() != ":":
                self.error(self.pos, self.pos + 1,
                           f"expected ':' after member name \"{key}\", found {self.describe(self.pos)}", path, fatal=True)
                raise _Fatal
            self.pos += 1
            child = path + (key,)
            if key in out:
                self.error(key_start, key_start + len(key) + 2, f"duplicate key \"{key}\": only the last one counts", path)
            out[key] = self.value(child)
            self.locs.keys[child] = key_span

        self.sequence(path, "}", member)
        return out

    def arr(self, path: Path) -> list[Any]:
        out: list[Any] = []
        self.sequence(path, "]", lambda: out.append(self.value(path + (len(out),))))
        return out

    def sequence(self, path: Path, close: str, item: Callable[[], None]) -> None:
        """The brackets and commas of an object or a list; `item` parses one entry. Trailing,
        doubled and missing commas are reported where they are, and parsing goes on."""
        is_object = close == "}"
        open_at = self.pos
        self.pos += 1
        count = 0
        expect_item = True  # after the opening bracket or a comma
        last_comma: int | None = None
        value_end = self.pos
        while True:
            self.skip_ws()
            c = self.peek()
            if c == close:
                if last_comma is not None and count:
                    self.error(last_comma, last_comma + 1, f"trailing comma before '{close}'", path)
                self.pos += 1
                return
            if c == "":
                self.error(open_at, open_at + 1, f"unclosed '{self.text[open_at]}': expected '{close}' before the end "
                           "of input", path, fatal=True)
                raise _Fatal
            if c == ",":
                self.error(self.pos, self.pos + 1,
                           f"unexpected ',': expected {'a member name' if is_object else 'a value'}", path)
                last_comma = self.pos
                self.pos += 1
                continue
            if not is_object and c == "}":
                self.error(self.pos, self.pos + 1, "expected ']' to close the list, found '}'", path, fatal=True)
                raise _Fatal
            if not expect_item:
                if is_object and c != '"':
                    self.error(self.pos, self.pos + 1, f"expected ',' or '}}' after a member, found "
                               f"{self.describe(self.pos)} (is a closing quote missing?)", path, fatal=True)
                    raise _Fatal
                # Two entries without a comma between them: say so where the comma belongs.
                self.error(value_end, value_end + 1,
                           f"missing ',' between {'object members' if is_object else 'list items'}", path)
            item()
            count += 1
            value_end = self.pos
            self.skip_ws()
            last_comma = None
            expect_item = self.peek() == ","
            if expect_item:
                last_comma = self.pos
                self.pos += 1


def parse(text: str, file: str, line_offset: int = 0, col_offset: int = 0, indent: int = 0) -> ParseResult:
    """Parse `text`; positions are shifted by `line_offset` lines, by `col_offset` columns on
    the first line and by `indent` columns on the others (for JSON embedded in a template).
    On a fatal fault the value is None and the fault is in `errors`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    p = _Parser(text, file, line_offset, col_offset, indent)
    value = p.parse_document()
    fatal = any(e.fatal for e in p.errors)
    return ParseResult(None if fatal else value, p.locs, p.errors)
