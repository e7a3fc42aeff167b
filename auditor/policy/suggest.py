"""Did-you-mean suggestions for service prefixes and action names, shared by the rules.

Close spellings come from difflib over what the catalog knows; on top of that, the names people
give Amazon Connect's services from their console or API names (`customer-profiles`,
`amazon-connect`, `appintegrations`) map to the IAM prefix, which difflib alone would miss or get
wrong.
"""

from __future__ import annotations

import difflib
from typing import Iterable

from auditor.catalog import Catalog
from auditor.connect.knowledge import CONNECT_FAMILY

# Names that are not IAM prefixes but that people write for one, lower case -> IAM prefix.
# Mostly the Connect family: its API, SDK and console names differ from its IAM prefixes.
SERVICE_ALIASES: dict[str, str] = {
    "amazon-connect": "connect",
    "amazonconnect": "connect",
    "aws-connect": "connect",
    "contact-lens": "connect",
    "contactlens": "connect",
    "connect-contact-lens": "connect",
    "customer-profiles": "profile",
    "customerprofiles": "profile",
    "connect-customer-profiles": "profile",
    "profiles": "profile",
    "appintegrations": "app-integrations",
    "app-integration": "app-integrations",
    "appintegration": "app-integrations",
    "amazon-appintegrations": "app-integrations",
    "connect-cases": "cases",
    "connectcases": "cases",
    "voice-id": "voiceid",
    "connect-voiceid": "voiceid",
    # Amazon Q in Connect's API is "qconnect" but its IAM prefix is still "wisdom".
    "qconnect": "wisdom",
    "q-connect": "wisdom",
    "amazon-q-connect": "wisdom",
    "connect-wisdom": "wisdom",
    "connectcampaigns": "connect-campaigns",
    "outbound-campaigns": "connect-campaigns",
    "connect-outbound-campaigns": "connect-campaigns",
    "connectcampaignsv2": "connect-campaigns",
    "kinesis-video": "kinesisvideo",
    "kinesis-video-streams": "kinesisvideo",
    "lexv2": "lex",
    "lex-v2": "lex",
    "lex-models": "lex",
    "lex-runtime": "lex",
}


def connect_family() -> tuple[str, ...]:
    """Amazon Connect's own service prefixes, `connect` first."""
    return tuple(CONNECT_FAMILY)


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6, n: int = 1) -> list[str]:
    """The candidates closest to `word` (case-insensitive), best first, spelled as in `candidates`."""
    by_lower: dict[str, str] = {}
    for c in candidates:
        by_lower.setdefault(c.lower(), c)
    hits = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[h] for h in hits]


def family_first(prefixes: Iterable[str]) -> list[str]:
    """The prefixes with Connect's own services first, otherwise in the given order."""
    fam = connect_family()
    items = list(dict.fromkeys(prefixes))
    return sorted(items, key=lambda p: (fam.index(p) if p in fam else len(fam), items.index(p)))


def suggest_service(prefix: str, catalog: Catalog, action_name: str | None = None) -> str | None:
    """The service prefix `prefix` most likely means, or None.

    An alias wins; then the closest spelling, preferring one that has `action_name`. A name
    that resembles no prefix gets no suggestion, even when some service has the action: a
    service newer than the catalog is likelier than a wholly different name.
    """
    low = prefix.strip().lower()
    alias = SERVICE_ALIASES.get(low)
    if alias and catalog.has_service(alias):
        return alias
    near = closest(low, catalog.service_prefixes(), cutoff=0.75, n=5)
    if not near:
        return None
    having = set(catalog.services_with_action(action_name)) if action_name else set()
    return next((p for p in near if p in having), near[0])


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
    two neighbours), which ranks typing slips (`Usre` for `User`) better than difflib does."""
    a, b = a.lower(), b.lower()
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def is_subsequence(short: str, long: str) -> bool:
    """Whether `short` is `long` with letters left out (case-insensitive): `Usr` of `User`."""
    it = iter(long.lower())
    return all(c in it for c in short.lower())


def closest_by_edits(word: str, candidates: Iterable[str], max_distance: int | None = None) -> str | None:
    """The candidate fewest typing slips away from `word` (at most `max_distance`, by default
    a third of its length, at least 1). Ties go to a candidate that only adds letters the word
    left out (`Usr` -> `User` before `Use`), then the same length, then alphabetical order. A
    word of four letters or fewer only gets letters added or two swapped: `Foo` is not `Flo`."""
    limit = max_distance if max_distance is not None else max(1, len(word) // 3)
    short = len(word) <= 4
    best: tuple[int, int, int, str] | None = None
    for c in candidates:
        if abs(len(c) - len(word)) > limit:
            continue
        sub = is_subsequence(word, c)
        if short and (c[:1].lower() != word[:1].lower()
                      or not sub and sorted(word.lower()) != sorted(c.lower())):
            continue  # a short word keeps its first letter and only gains letters or swaps two
        d = edit_distance(word, c)
        if d <= limit:
            key = (d, 0 if sub else 1, abs(len(c) - len(word)), c)
            if best is None or key < best:
                best = key
    return best[3] if best else None
