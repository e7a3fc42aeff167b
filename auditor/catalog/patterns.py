"""Can an ARN written in a policy be an ARN of a given resource type?

Both sides are patterns: the policy's ARN is an IAM glob (`*` crosses `/`, `?` is one
character, unresolved template holes are anything), and the catalog's ARN format has
variables (`${InstanceId}`). The question is whether the two languages intersect, which a
small product-automaton search answers exactly, so `.../instance/*` covers agents while
`.../instance/x/user/*` is no Connect user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.memo import BoundedMemo
from auditor.policy.values import Hole, Text, value_key

# A character class: a literal character, or "anything except these characters".
ANY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tok:
    literal: str | None  # one character, or None for a class
    excluded: frozenset[str] = ANY  # for a class: characters it cannot match
    star: bool = False  # zero or more of this class (else exactly one)


def _chars_meet(a: Tok, b: Tok) -> bool:
    if a.literal is not None and b.literal is not None:
        return a.literal == b.literal
    if a.literal is not None:
        return a.literal not in b.excluded
    if b.literal is not None:
        return b.literal not in a.excluded
    return True  # two complements of finite sets always share a character


def intersects(a: tuple[Tok, ...], b: tuple[Tok, ...]) -> bool:
    """True if some string matches both token patterns."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    na, nb = len(a), len(b)
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == na and j == nb:
            return True
        ta = a[i] if i < na else None
        tb = b[j] if j < nb else None
        # A star may match nothing.
        if ta is not None and ta.star:
            stack.append((i + 1, j))
        if tb is not None and tb.star:
            stack.append((i, j + 1))
        if ta is not None and tb is not None and _chars_meet(ta, tb):
            stack.append((i if ta.star else i + 1, j if tb.star else j + 1))
    return False


_ANY_STAR = Tok(None, ANY, True)
_ANY_ONE = Tok(None, ANY, False)
_POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")


def policy_tokens(value: str) -> tuple[Tok, ...]:
    """Tokens of an ARN as written in a policy (glob, policy variables, template holes)."""
    if isinstance(value, Text):
        out: list[Tok] = []
        for part in value.parts:
            if isinstance(part, Hole):
                out.extend(_hole_pattern_tokens(part.pattern) if part.pattern else [_ANY_STAR])
            else:
                out.extend(_glob_tokens(part))
        return tuple(out)
    return tuple(_glob_tokens(value))


# In a hole's pattern each `*` is one unknown id: one or more characters within an ARN part
# and path segment. A bare instance ARN reference is then an instance, not everything under it.
_SEGMENT = frozenset({":", "/"})


def _hole_pattern_tokens(pattern: str) -> list[Tok]:
    out: list[Tok] = []
    for c in pattern:
        if c == "*":
            out.extend([Tok(None, _SEGMENT, False), Tok(None, _SEGMENT, True)])
        else:
            out.append(Tok(c))
    return out


def _glob_tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    pos = 0
    for m in _POLICY_VARIABLE.finditer(text):
        out.extend(_plain_glob(text[pos : m.start()]))
        # ${aws:username} and friends, or the IAM escapes ${*} ${?} ${$}
        inner = m.group(0)[2:-1]
        if inner in ("*", "?", "$"):
            out.append(Tok(inner))
        else:
            out.append(_ANY_STAR)
        pos = m.end()
    out.extend(_plain_glob(text[pos:]))
    return out


def _plain_glob(text: str) -> list[Tok]:
    return [_ANY_STAR if c == "*" else _ANY_ONE if c == "?" else Tok(c) for c in text]


_FORMAT_VARIABLE = re.compile(r"\$\{([^}]*)\}")


@lru_cache(maxsize=4096)
def format_tokens(arn_format: str, strict_ids: bool) -> tuple[Tok, ...]:
    """Tokens of a catalog ARN format. Variables in the first five fields never cross `:`;
    with `strict_ids` (services whose ids are known to be single path segments, such as
    Connect) they do not cross `/` either. A variable may be empty only in the region and
    account fields (global resources)."""
    out: list[Tok] = []
    pos = 0
    colons = 0
    for m in _FORMAT_VARIABLE.finditer(arn_format):
        lit = arn_format[pos : m.start()]
        colons += lit.count(":")
        out.extend(Tok(c) for c in lit)
        excluded: set[str] = set()
        if colons < 5:
            excluded.add(":")
        if strict_ids and colons >= 5:
            excluded.add("/")
        cls = frozenset(excluded)
        name = m.group(1)
        if name in ("Region", "Account") and colons < 5:
            out.append(Tok(None, cls, True))
        else:
            out.extend([Tok(None, cls, False), Tok(None, cls, True)])
        pos = m.end()
    out.extend(Tok(c) for c in arn_format[pos:])
    return tuple(out)


_MATCHES: BoundedMemo[tuple[object, str, bool], bool] = BoundedMemo(200_000)


def arn_matches_format(policy_arn: str, arn_format: str, strict_ids: bool = False) -> bool:
    return _MATCHES.get((value_key(policy_arn), arn_format, strict_ids), lambda: (
        not _literals_disagree(policy_arn, arn_format)
        and intersects(policy_tokens(policy_arn), format_tokens(arn_format, strict_ids))))


def _literals_disagree(policy_arn: str, arn_format: str) -> bool:
    """A cheap rejection that never contradicts `intersects`: the service fields, or the literal
    beginnings of the resource parts, differ. It judges only fields whose place is certain: a
    `*` (or a `${...}`, which may hold colons) before them could stretch across colons, as IAM's
    `*` does (`arn:aws:logs:*:*:/aws-glue/*` is a log group), so then the full search decides."""
    if isinstance(policy_arn, Text):
        return False
    p = policy_arn.split(":", 5)
    f = arn_format.split(":", 5)
    if len(p) < 6 or len(f) < 6:
        return False
    if _has_glob(":".join(p[:3])):
        return False
    if "${" not in f[2] and p[2] != f[2]:
        return True
    if _has_glob(":".join(p[:5])):
        return False
    a = _literal_head(p[5], "*?$")
    b = f[5].split("${", 1)[0]
    n = min(len(a), len(b))
    return a[:n] != b[:n]


def _has_glob(text: str) -> bool:
    return "*" in text or "?" in text or "$" in text


def _literal_head(text: str, stops: str) -> str:
    cut = len(text)
    for c in stops:
        i = text.find(c)
        if 0 <= i < cut:
            cut = i
    return text[:cut]


def format_to_example(arn_format: str, **known: str) -> str:
    """An ARN format with its variables filled from `known` (or `*`), for suggestions."""

    def fill(m: re.Match[str]) -> str:
        return known.get(m.group(1), "*")

    return _FORMAT_VARIABLE.sub(fill, arn_format)
