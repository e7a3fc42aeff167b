"""Text for people: grouped by file, the source line with a caret under the value."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from auditor.engine import Report
from auditor.loaders.base import source_lines
from auditor.rule import Finding

_COLOURS = {"error": "31", "warning": "33", "note": "36"}


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


class _Sources:
    """File lines, read once each."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def line(self, file: str, n: int) -> str | None:
        if file not in self._lines:
            self._lines[file] = source_lines(file)
        lines = self._lines[file]
        if not lines or not 1 <= n <= len(lines):
            return None
        return lines[n - 1]


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def render(report: Report, colour: bool = False, show_suppressed: bool = False) -> str:
    sources = _Sources()
    out: list[str] = []
    current = None
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        loc = f.location()
        if loc.file != current:
            current = loc.file
            out.append("")
            out.append(_paint(loc.file, "1", colour))
        out.extend(_finding_lines(f, sources, colour))
    counts = report.counts()
    suppressed = sum(1 for f in report.findings if f.suppressed)
    summary = (f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)"
               f" in {len(report.model.policies)} polic{'y' if len(report.model.policies) == 1 else 'ies'}"
               f" from {len(report.files())} file(s)")
    if suppressed:
        summary += f"; {suppressed} suppressed"
    out.append("")
    out.append(summary)
    out.append(f"catalog: {report.catalog.provenance()}")
    return "\n".join(out).lstrip("\n") + "\n"


WINDOW = 100


def _window(src: str, col: int, width: int) -> tuple[str, int]:
    """A long line (a one-line policy) cut to about WINDOW characters around the value;
    returns the text shown and the offset its first character stands for."""
    if len(src) <= WINDOW + 20:
        return src, 0
    start = max(0, min(col - (WINDOW - width) // 2, len(src) - WINDOW))
    end = start + WINDOW
    head = "…" if start > 0 else ""
    tail = "…" if end < len(src) else ""
    return head + src[start:end] + tail, start - len(head)


def _finding_lines(f: Finding, sources: _Sources, colour: bool) -> list[str]:
    loc = f.location()
    level = _paint(f.level, _COLOURS[f.level], colour)
    where = f"{loc.line}:{loc.column}" if loc.line else "-"
    head = f"  {where}: {level} {f.rule_id} {f.message}"
    if f.resource and f.resource != loc.file:
        head += f"  [{f.resource}]"
    if f.suppressed:
        head += " (suppressed)"
    lines = [head]
    src = sources.line(loc.file, loc.line) if loc.line else None
    if src is not None:
        gutter = f"{loc.line:>6} | "
        # One column per tab, so the caret stays under the value.
        src = src.replace("\t", " ")
        width = (loc.end_column - loc.column) if loc.end_line == loc.line and loc.end_column > loc.column else 1
        width = max(1, min(width, max(1, len(src) - loc.column + 1), WINDOW))
        shown, start = _window(src, loc.column - 1, width)
        lines.append(gutter + shown)
        lines.append(" " * (len(gutter) + loc.column - 1 - start) + _paint("^" * width, _COLOURS[f.level], colour))
    if f.suggestion:
        lines.append(f"         = help: {f.suggestion}")
    return lines


def write(report: Report, stream: TextIO = sys.stdout) -> None:
    stream.write(render(report, use_colour(stream)))
