"""The policy model every loader fills and every rule reads.

A `Policy` holds its document as plain JSON-like Python values (dict, list, str, int, bool,
None; strings may be `Text` with unresolved holes) and a `LocationMap` from paths inside the
document to where each value and key came from. Rules speak only in paths; the engine turns
a path into a location, so one rule works on policy JSON, Terraform, CloudFormation and live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterator

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Span:
    """A place in a file (1-based line and column; end is exclusive), or a live object."""

    file: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@dataclass
class LocationMap:
    """Where each value (and each mapping key) of a document came from.

    `values[path]` is the span of the value at `path`; `keys[path]` the span of the key that
    names it. A path with no entry falls back to its nearest located ancestor.
    """

    file: str
    values: dict[Path, Span] = field(default_factory=dict)
    keys: dict[Path, Span] = field(default_factory=dict)
    default: Span | None = None

    def value(self, path: Path) -> Span:
        return self._lookup(self.values, path)

    def key(self, path: Path) -> Span:
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    def _lookup(self, table: dict[Path, Span], path: Path) -> Span:
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if not p:
                return self.default or Span(self.file, 1, 1, 1, 1)
            p = p[:-1]

    def shifted(self, prefix: Path) -> "LocationMap":
        """A view whose paths are relative to `prefix` (a policy nested inside a template)."""
        n = len(prefix)
        values = {k[n:]: v for k, v in self.values.items() if k[:n] == prefix}
        keys = {k[n:]: v for k, v in self.keys.items() if k[:n] == prefix}
        default = self.values.get(prefix) or self.default
        return LocationMap(self.file, values, keys, default)


class PolicyKind(str, Enum):
    IDENTITY = "identity"  # managed or inline identity-based policy
    TRUST = "trust"  # a role's assume-role policy
    RESOURCE = "resource"  # a resource-based policy (bucket, key, queue...)
    BOUNDARY = "boundary"  # permissions boundary
    SCP = "scp"
    SESSION = "session"


# The size quotas IAM applies, in characters without whitespace, by how a policy is attached.
class Attachment(str, Enum):
    MANAGED = "managed"
    ROLE_INLINE = "role-inline"
    USER_INLINE = "user-inline"
    GROUP_INLINE = "group-inline"
    TRUST = "trust"
    UNKNOWN = "unknown"


@dataclass
class Policy:
    """One policy document and where it came from.

    `name` is the policy's address as a user knows it: a Terraform address
    (`module.connect.aws_iam_policy.agents`), a CloudFormation logical id path
    (`AgentRole.Policies[0]`), a principal ARN and policy name, or the file's name.
    `variant` says which branch of a conditional this is (`Fn::If IsProd: true`), if any.
    """

    document: Any
    locations: LocationMap
    name: str
    kind: PolicyKind = PolicyKind.IDENTITY
    attachment: Attachment = Attachment.UNKNOWN
    variant: str | None = None
    # Parse problems the loader found inside the document (e.g. a trailing comma it recovered
    # from); rules such as CA001 report them. Each is (path, message).
    syntax_errors: list[tuple[Path, str, Span]] = field(default_factory=list)
    # True when the loader could not recover a document at all.
    unparsable: bool = False

    @property
    def file(self) -> str:
        return self.locations.file

    def statements(self) -> Iterator["Statement"]:
        """Each statement with its path; a lone statement object counts as one."""
        doc = self.document
        if not isinstance(doc, dict):
            return
        if "Statement" not in doc and ("Effect" in doc or "Action" in doc or "NotAction" in doc):
            # A statement copied out of a policy without its wrapper (CA002 says so); audit it.
            yield Statement(self, 0, (), doc)
            return
        body = doc.get("Statement")
        if isinstance(body, dict):
            yield Statement(self, 0, ("Statement",), body)
        elif isinstance(body, list):
            for i, st in enumerate(body):
                if isinstance(st, dict):
                    yield Statement(self, i, ("Statement", i), st)


@dataclass
class Statement:
    policy: Policy
    index: int
    path: Path
    data: dict[str, Any]

    @property
    def effect(self) -> str | None:
        e = self.data.get("Effect")
        return e if isinstance(e, str) else None

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect == "Deny"

    @property
    def sid(self) -> str | None:
        s = self.data.get("Sid")
        return s if isinstance(s, str) else None

    def values(self, element: str) -> list[tuple[Any, Path]]:
        """The values of an element that may be a string or a list, each with its path."""
        if element not in self.data:
            return []
        v = self.data[element]
        base = self.path + (element,)
        if isinstance(v, list):
            return [(x, base + (i,)) for i, x in enumerate(v)]
        return [(v, base)]

    def strings(self, element: str) -> list[tuple[str, Path]]:
        return [(v, p) for v, p in self.values(element) if isinstance(v, str)]

    @property
    def actions(self) -> list[tuple[str, Path]]:
        return self.strings("Action")

    @property
    def not_actions(self) -> list[tuple[str, Path]]:
        return self.strings("NotAction")

    @property
    def resources(self) -> list[tuple[str, Path]]:
        return self.strings("Resource")

    @property
    def not_resources(self) -> list[tuple[str, Path]]:
        return self.strings("NotResource")

    @property
    def has_condition(self) -> bool:
        c = self.data.get("Condition")
        return isinstance(c, dict) and bool(c) or isinstance(c, str)

    def conditions(self) -> Iterator[tuple[str, str, Any, Path]]:
        """(operator, key, value, path of the key) for every condition in the statement."""
        block = self.data.get("Condition")
        if not isinstance(block, dict):
            return
        for op, keys in block.items():
            if not isinstance(keys, dict):
                continue
            for key, value in keys.items():
                yield op, key, value, self.path + ("Condition", op, key)


@dataclass
class PrincipalRecord:
    """A role, user or group with what is attached to it (for console-coverage checks)."""

    kind: str  # role | user | group
    name: str  # address or ARN
    span: Span | None = None
    inline_policies: list[str] = field(default_factory=list)  # Policy.name values
    managed_policy_arns: list[str] = field(default_factory=list)
    managed_policy_refs: list[str] = field(default_factory=list)  # Policy.name of local managed policies
    permissions_boundary: str | None = None
    groups: list[str] = field(default_factory=list)


@dataclass
class Model:
    """Everything the loaders found in one run."""

    policies: list[Policy] = field(default_factory=list)
    principals: list[PrincipalRecord] = field(default_factory=list)
    # Inputs that could not be read or parsed at all: (span, message). Reported as CA000.
    input_errors: list[tuple[Span, str]] = field(default_factory=list)
    # Things the loaders noted but did not fail on (e.g. SAM policy templates): (span, message)
    notes: list[tuple[Span, str]] = field(default_factory=list)
