"""The rule interface: what every file under `rules/` subclasses.

A rule's class attributes are its SARIF rule entry; its docstring is its documentation and
must carry the headings in `DOC_HEADINGS`. A rule reports a path inside a policy; the engine
maps it to a file, line and column.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from auditor.policy.model import Path, Policy, Span

if TYPE_CHECKING:
    from auditor.catalog import Catalog
    from auditor.policy.model import Model

LEVELS = ("error", "warning", "note")
DOC_HEADINGS = ("## What it does", "## Why it matters", "## Example", "## Fix")


@dataclass
class Finding:
    rule_id: str
    message: str
    level: str
    policy: Policy | None = None
    path: Path = ()
    # Point at the key rather than the value (e.g. a misspelt element name).
    at_key: bool = False
    suggestion: str | None = None
    # For findings outside any policy (CA000) or at a place the loader knows better.
    span: Span | None = None
    resource: str | None = None
    suppressed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def location(self) -> Span:
        if self.span is not None:
            return self.span
        assert self.policy is not None
        locs = self.policy.locations
        return locs.key(self.path) if self.at_key else locs.value(self.path)

    @property
    def statement(self) -> int | None:
        if len(self.path) >= 2 and self.path[0] == "Statement" and isinstance(self.path[1], int):
            return self.path[1]
        if self.path[:1] == ("Statement",):
            return 0
        return None


class Rule:
    """Base class. Subclasses set the metadata and override `check` and/or `check_model`."""

    id: ClassVar[str] = ""
    name: ClassVar[str] = ""  # kebab-case
    short_description: ClassVar[str] = ""
    level: ClassVar[str] = "warning"  # default level
    # Policy kinds this rule applies to; None means every kind.
    kinds: ClassVar[tuple[str, ...] | None] = ("identity", "boundary", "scp", "session", "resource")

    def __init__(self, level: str | None = None, options: dict[str, Any] | None = None) -> None:
        self.configured_level = level or self.level
        self.options = options or {}

    # --- what subclasses implement -------------------------------------------------------
    def check(self, policy: Policy, catalog: "Catalog") -> Iterable[Finding]:
        return ()

    def check_model(self, model: "Model", catalog: "Catalog") -> Iterable[Finding]:
        return ()

    # --- helpers ---------------------------------------------------------------------------
    def finding(
        self,
        policy: Policy | None,
        path: Path,
        message: str,
        *,
        suggestion: str | None = None,
        level: str | None = None,
        at_key: bool = False,
        span: Span | None = None,
    ) -> Finding:
        """A finding at `path` in `policy`. `level` overrides the configured level only when
        the rule's own level is the default (a user's configuration always wins)."""
        lvl = self.configured_level
        if level is not None and self.configured_level == self.level:
            lvl = level
        return Finding(
            self.id,
            message,
            lvl,
            policy=policy,
            path=tuple(path),
            at_key=at_key,
            suggestion=suggestion,
            span=span,
            # Which Fn::If branch (or other variant) the finding is in, so reviewers can tell.
            resource=(f"{policy.name} ({policy.variant})" if policy.variant else policy.name) if policy else None,
        )

    # --- metadata --------------------------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_section(cls, heading: str) -> str:
        doc = cls.doc()
        m = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
        return m.group(1).strip() if m else ""

    @classmethod
    def full_description(cls) -> str:
        return cls.doc_section("What it does") or cls.short_description

    @classmethod
    def sarif(cls) -> dict[str, Any]:
        """The SARIF `reportingDescriptor` of this rule."""
        level = cls.level
        return {
            "id": cls.id,
            "name": cls.name,
            "shortDescription": {"text": cls.short_description},
            "fullDescription": {"text": _plain(cls.full_description())},
            "defaultConfiguration": {"level": level},
            "help": {"text": _plain(cls.doc()), "markdown": cls.doc()},
            "properties": {"tags": ["security", "iam", "amazon-connect"]},
        }


def _plain(markdown: str) -> str:
    return re.sub(r"^#+ ", "", markdown, flags=re.M).replace("`", "")
