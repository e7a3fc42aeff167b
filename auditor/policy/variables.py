"""IAM policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`) in policy values.

Only the literal parts of a template value are searched: a `Text` shows its unresolved holes
as `${expr}` too, and those are template expressions, not policy variables.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from auditor.policy.model import Path
from auditor.policy.values import Text

# A policy variable names a context key (`prefix:name`, which always has a colon) or is one
# of the escapes `${*}`, `${?}`, `${$}`. Documentation placeholders such as `${InstanceId}`
# have no colon and are not variables.
POLICY_VARIABLE = re.compile(r"\$\{(?:[A-Za-z0-9_.\-]+:[^}\s]+|\*|\?|\$)\}")


def literal_parts(value: str) -> list[str]:
    """The parts of a string that are known text (all of it unless it is a `Text`)."""
    if isinstance(value, Text):
        return [p for p in value.parts if isinstance(p, str)]
    return [value]


def policy_variables(value: Any) -> list[str]:
    """The policy variables written in a string value, in order."""
    if not isinstance(value, str):
        return []
    return [m.group(0) for part in literal_parts(value) for m in POLICY_VARIABLE.finditer(part)]


def walk_strings(value: Any, path: Path) -> Iterator[tuple[str, Path]]:
    """Every string inside a JSON-like value, with its path."""
    if isinstance(value, str):
        yield value, path
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_strings(item, path + (i,))
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from walk_strings(item, path + (k,))
