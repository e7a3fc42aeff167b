"""ARNs as written in policies: split into their six parts, holes and globs kept."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.policy.values import Hole, Text, has_holes


@dataclass(frozen=True)
class Arn:
    text: str
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def is_glob(self) -> bool:
        return any(c in self.text for c in "*?")


def split_arn(value: str) -> Arn | None:
    """The six parts of `arn:partition:service:region:account:resource`, or None if the value
    does not have them. A hole in a template value counts as one unknown part."""
    if not value.startswith("arn:") and not (isinstance(value, Text) and _starts_with_hole(value)):
        return None
    parts = value.split(":", 5)
    if len(parts) < 6:
        return None
    return Arn(value, parts[1], parts[2], parts[3], parts[4], parts[5])


def _starts_with_hole(value: Text) -> bool:
    return bool(value.parts) and isinstance(value.parts[0], Hole)


def arn_part_unresolved(value: str, part: str) -> bool:
    """Whether a part of an ARN came (in whole or in part) from an unresolved template value."""
    return has_holes(value) and "${" in part
