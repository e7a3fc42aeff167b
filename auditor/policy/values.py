"""Strings that a template could only partly resolve.

Loaders for Terraform and CloudFormation meet values they cannot know before deployment
(`${aws_iam_role.x.arn}`, `!ImportValue`, a remote module's output). Such a value becomes a
`Text`: a `str` whose unknown parts ("holes") are remembered, so rules can treat a hole as
"could be anything" instead of as a literal `*` or as garbage. A hole may carry a pattern
when its type is known (a Connect instance ARN, an account id), which keeps checks working
on `${aws_connect_instance.main.arn}/user/*`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from auditor.memo import BoundedMemo


@dataclass(frozen=True)
class Hole:
    """An unresolved part of a value, with the source expression it stands for.

    `pattern`, when given, is what the value is known to look like, each `*` one unknown id
    (one or more characters, crossing neither `:` nor `/`), e.g. `arn:*:connect:*:*:instance/*`
    for `aws_connect_instance.x.arn`: an instance, not every resource inside one.
    """

    expr: str
    pattern: str | None = None


class Text(str):
    """A string with unresolved holes. `str(self)` shows each hole as `${expr}`."""

    parts: tuple[str | Hole, ...]

    def __new__(cls, parts: Iterable[str | Hole]) -> "Text":
        merged: list[str | Hole] = []
        for part in parts:
            if isinstance(part, Text):
                merged.extend(part.parts)
            elif isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
            elif part != "":
                merged.append(part)
        shown = "".join(p if isinstance(p, str) else "${" + p.expr + "}" for p in merged)
        obj = super().__new__(cls, shown)
        obj.parts = tuple(merged)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.parts,))

    @property
    def holes(self) -> list[Hole]:
        return [p for p in self.parts if isinstance(p, Hole)]

    @property
    def wholly_unresolved(self) -> bool:
        """True when nothing of the value is known (one hole without a pattern)."""
        return all(isinstance(p, Hole) and p.pattern is None for p in self.parts)


def unresolved(expr: str, pattern: str | None = None) -> Text:
    """A value that is one hole."""
    return Text([Hole(expr, pattern)])


def value_key(value: str) -> object:
    """A hashable key for a string value that tells a `Text` from a str with the same
    characters (`${var.x}` written literally is not the hole `var.x`), for memos."""
    return value.parts if isinstance(value, Text) else str(value)


def has_holes(value: Any) -> bool:
    return isinstance(value, Text) and bool(value.holes)


def is_wholly_unresolved(value: Any) -> bool:
    return isinstance(value, Text) and value.wholly_unresolved


def glob_regex(value: str, *, case_insensitive: bool = False, segment_wildcards: bool = False) -> re.Pattern[str]:
    """A regex for an IAM glob (`*`, `?`) in which holes match anything (or their pattern).

    With `segment_wildcards`, a hole without a pattern does not cross `:` (for ARN parts).
    """
    return _REGEXES.get((value_key(value), case_insensitive, segment_wildcards),
                        lambda: _glob_regex(value, case_insensitive, segment_wildcards))


_REGEXES: BoundedMemo[tuple[object, bool, bool], re.Pattern[str]] = BoundedMemo(50_000)


def _glob_regex(value: str, case_insensitive: bool, segment_wildcards: bool) -> re.Pattern[str]:
    out: list[str] = []
    parts = value.parts if isinstance(value, Text) else (value,)
    for part in parts:
        if isinstance(part, Hole):
            if part.pattern is not None:
                out.append("".join("[^:/]+" if c == "*" else re.escape(c) for c in part.pattern))
            else:
                out.append("[^:]*" if segment_wildcards else ".*")
        else:
            out.append(_glob(part))
    flags = re.DOTALL | (re.IGNORECASE if case_insensitive else 0)
    return re.compile("".join(out), flags)


def _glob(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


def known_text(value: str) -> str:
    """The value with every hole replaced by its pattern or by `*` (for display and matching)."""
    if not isinstance(value, Text):
        return value
    return "".join(p if isinstance(p, str) else (p.pattern or "*") for p in value.parts)
