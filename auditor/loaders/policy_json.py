"""Plain IAM policy JSON files (what `aws iam get-policy-version` prints, or a document on disk)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.loaders.base import LoadContext, display_path
from auditor.policy.model import Attachment, Model, Policy, PolicyKind, Span

if TYPE_CHECKING:
    from auditor.loaders.claims import Inputs

_TRUST_HINT = re.compile(r"^sts:AssumeRole", re.I)


def read_text(path: Path, model: Model) -> str | None:
    """The file's text, or None after recording why it cannot be read (CA000)."""
    file = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        model.input_errors.append((Span(file, 1, 1, 1, 1), f"cannot read the file: {exc.strerror or exc}"))
        return None
    from auditor.loaders.claims import wide_encoding

    wide = wide_encoding(data[:4])
    if wide is not None and _decodes(data, wide):
        # UTF-16/32 text (PowerShell's Out-File writes UTF-16): the AWS CLI reads a file://
        # policy in the locale's encoding (its guide warns against UTF-16), Terraform's file()
        # reads only UTF-8, and JSON exchanged between systems must be UTF-8 (RFC 8259). It
        # is not deployed as it stands, so it is reported, named or met in a folder (claims
        # decode its head), rather than audited as if it were.
        model.input_errors.append((Span(file, 1, 1, 1, 1), f"the file is {wide[:6].upper()} text (it starts with a "
                                                          "byte-order mark), not UTF-8: save it as UTF-8"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        model.input_errors.append((Span(file, line, col, line, col + 1), "the file is not UTF-8 text"))
        return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


class PolicyJsonLoader:
    name = "policy-json"

    def __init__(self, explicit: set[Path] | None = None, inputs: Inputs | None = None) -> None:
        from auditor.loaders.claims import Inputs

        # Files the user named one by one are audited even when they do not look like a policy.
        self.explicit = explicit if explicit is not None else inputs.explicit if inputs else set()
        # Shared with the other loaders (see `auditor.loaders.claims`): each file has one reader.
        self.inputs = inputs or Inputs(explicit=self.explicit)

    def claims(self, path: Path, head: bytes) -> bool:
        """JSON that looks like a policy (or was named on its own) and that no other loader
        reads: not a template, not a plan, not a file Terraform reads with `file()`."""
        from auditor.loaders.claims import POLICY_JSON

        return self.inputs.reader(path, head) == POLICY_JSON

    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        for path in paths:
            self.load_one(path, model)

    def load_one(self, path: Path, model: Model) -> None:
        text = read_text(path, model)
        if text is None:
            return
        from auditor.policy.jsonloc import parse

        file = display_path(path)
        result = parse(text, file)
        doc = result.value
        if doc is not None and not _looks_like_policy(doc) and path not in self.explicit:
            return  # JSON that is not a policy (package.json, a CloudFormation template...)
        policy = Policy(doc, result.locations, file, kind=_kind(doc), attachment=Attachment.UNKNOWN)
        policy.syntax_errors = [(e.path, e.message, e.span) for e in result.errors]
        policy.unparsable = result.fatal
        model.policies.append(policy)


def _looks_like_policy(doc: object) -> bool:
    return isinstance(doc, dict) and any(k in doc for k in ("Statement", "Effect", "Action", "NotAction", "Version"))


def _kind(doc: object) -> PolicyKind:
    """A document whose every statement names a principal and assumes a role is a trust policy."""
    if not isinstance(doc, dict):
        return PolicyKind.IDENTITY
    body = doc.get("Statement")
    statements = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
    if statements and all(isinstance(s, dict) and "Principal" in s and _assumes_role(s.get("Action")) for s in statements):
        return PolicyKind.TRUST
    if statements and all(isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in statements):
        return PolicyKind.RESOURCE
    return PolicyKind.IDENTITY


def _assumes_role(action: object) -> bool:
    acts = action if isinstance(action, list) else [action]
    return bool(acts) and all(isinstance(a, str) and _TRUST_HINT.match(a) for a in acts)
