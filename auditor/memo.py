"""A bounded memo for facts derived from values that recur across a tree's policies (the same
ARNs, globs and action names in file after file)."""

from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """Computed values by key, emptied once `limit` entries are held, so a long-running process
    (a server, a test session) does not grow without bound."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        try:
            return self._values[key]
        except KeyError:
            if len(self._values) >= self.limit:
                self._values.clear()
            value = self._values[key] = compute()
            return value
