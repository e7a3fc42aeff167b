"""ARNs as written in policies: split into their six parts, holes and globs kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.catalog.patterns import format_to_example
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


_FORMAT_VAR = re.compile(r"\$\{([^}]*)\}")
_PATH_WORD = re.compile(r"([A-Za-z0-9_.\-]+)[/:]$")


def example_arn(written: str, arn_format: str) -> str:
    """An ARN of a catalog format (`...:instance/${InstanceId}/agent/${UserId}`) for a
    suggestion, with what a written ARN already says filled in, the rest `*`.

    The partition always carries over; the region and account when the written ARN is of the
    same service; an id when it follows the same path word (`instance/<id>`). A written value
    that starts with a template hole standing for the format's leading part keeps the hole:
    `${aws_connect_instance.main.arn}/user/*` -> `${aws_connect_instance.main.arn}/agent/*`.
    """
    if isinstance(written, Text) and written.parts and isinstance(written.parts[0], Hole):
        hole = written.parts[0]
        if hole.pattern:
            for m in _FORMAT_VAR.finditer(arn_format):
                if format_to_example(arn_format[: m.end()]) == hole.pattern:
                    return "${" + hole.expr + "}" + format_to_example(arn_format[m.end():])
        return format_to_example(arn_format)
    known: dict[str, str] = {}
    arn = split_arn(written)
    fmt_parts = arn_format.split(":", 5)
    if arn is not None and len(fmt_parts) == 6:
        if arn.partition:
            known["Partition"] = arn.partition
        if arn.service.lower() == fmt_parts[2].lower():
            if arn.region:
                known["Region"] = arn.region
            if arn.account:
                known["Account"] = arn.account
            segments = re.split(r"[/:]", arn.resource)
            resource_format = fmt_parts[5]
            for m in _FORMAT_VAR.finditer(resource_format):
                word = _PATH_WORD.search(resource_format[: m.start()])
                if word is None or word.group(1) not in segments:
                    continue
                i = segments.index(word.group(1))
                if i + 1 < len(segments) and segments[i + 1]:
                    known[m.group(1)] = segments[i + 1]
    return format_to_example(arn_format, **known)
