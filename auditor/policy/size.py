"""How long a policy is for IAM's size quotas: its JSON without whitespace.

IAM counts the characters of a policy document, not counting white space. A template value
that is not resolved yet counts only for its known characters, so the result is then a lower
bound (`exact` is False): good enough to say a policy is already too large, never that it fits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from auditor.policy.values import Text
from auditor.policy.variables import literal_parts

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Size:
    chars: int
    exact: bool  # False when unresolved template values were left out

    def __add__(self, other: "Size") -> "Size":
        return Size(self.chars + other.chars, self.exact and other.exact)


def _compact(value: Any) -> tuple[str, bool]:
    if isinstance(value, Text) and value.holes:
        return json.dumps("".join(literal_parts(value)), ensure_ascii=False), False
    if isinstance(value, str):
        return json.dumps(str(value), ensure_ascii=False), True
    if isinstance(value, dict):
        exact = True
        items = []
        for k, v in value.items():
            ks, ke = _compact(k)
            vs, ve = _compact(v)
            exact = exact and ke and ve
            items.append(f"{ks}:{vs}")
        return "{" + ",".join(items) + "}", exact
    if isinstance(value, list):
        out = [_compact(v) for v in value]
        return "[" + ",".join(s for s, _ in out) + "]", all(e for _, e in out)
    # default=str: a YAML date (an unquoted `Version: 2012-10-17`) is sent as its text.
    return json.dumps(value, default=str), True


def json_size(value: Any) -> Size:
    """Characters of `value` as compact JSON, white space (also inside strings) not counted."""
    text, exact = _compact(value)
    return Size(len(_WS.sub("", text)), exact)
