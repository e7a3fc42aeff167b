"""Policy documents written as JSON strings inside a template, located to the character.

A string's value is not its source text: YAML strips block indentation, folds lines and
decodes escapes (`"{\\"Version\\": ...}"` in a JSON template). `char_positions` walks the
source beside the value and gives the source position of every character of the value, so
the located JSON parser can run on the value and each span is then moved back into the file
(`auditor.loaders.textpos`, shared with the Terraform loader).
"""

from __future__ import annotations

from typing import Any

from auditor.loaders.textpos import RawSpan, char_positions, relocation
from auditor.policy import jsonloc
from auditor.policy.model import LocationMap, Path, Span

__all__ = ["char_positions", "parse_located"]


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
    move = relocation(value, positions, file)
    locs = LocationMap(file, default=whole)
    locs.values = {p: move(s) for p, s in result.locations.values.items()}
    locs.keys = {p: move(s) for p, s in result.locations.keys.items()}
    errors = [(tuple(e.path), e.message, move(e.span)) for e in result.errors]
    return result.value, locs, errors, result.fatal

