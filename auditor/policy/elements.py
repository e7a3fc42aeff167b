"""The element names of the IAM policy grammar, and the closest one to a misspelt name."""

from __future__ import annotations

from auditor.policy.suggest import closest

POLICY_ELEMENTS: tuple[str, ...] = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS: tuple[str, ...] = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
    "Resource", "NotResource", "Condition",
)
PRINCIPAL_TYPES: tuple[str, ...] = ("AWS", "Service", "Federated", "CanonicalUser")
EFFECTS: tuple[str, ...] = ("Allow", "Deny")
# How messages name each kind of policy (PolicyKind values).
KIND_LABELS: dict[str, str] = {
    "identity": "an identity-based policy",
    "boundary": "a permissions boundary",
    "session": "a session policy",
    "scp": "a service control policy",
    "trust": "a role trust policy",
    "resource": "a resource-based policy",
}
# The pairs a statement may hold only one of.
EXCLUSIVE_PAIRS: tuple[tuple[str, str], ...] = (
    ("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"),
)


def closest_name(name: str, known: tuple[str, ...] | list[str], cutoff: float = 0.7) -> str | None:
    """The known name `name` most likely stands for: the same name in another case, a plural
    (`Actions`), or a near miss (`Condtion`); None when nothing is close."""
    if not isinstance(name, str):
        return None
    lower = {k.lower(): k for k in known}
    n = name.strip().lower()
    if n in lower:
        return lower[n]
    if n.endswith("s") and n[:-1] in lower:
        return lower[n[:-1]]
    return next(iter(closest(n, known, cutoff=cutoff)), None)
