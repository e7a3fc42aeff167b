"""How messages list several names: one way, everywhere."""

from __future__ import annotations

from typing import Sequence


def summarise(names: Sequence[str], limit: int | None = 5, last: str = " and ") -> str:
    """`a, b and c`, or `a, b, c, d, e and 7 more` past `limit` names (None: no limit). `last`
    joins the last two names (`" or "`, or `", "` for a plain list)."""
    names = list(names)
    if limit is not None and len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + last + names[-1]
    return names[0] if names else ""
