"""Which loader reads a file: one decision per file, shared by every loader's `claims`.

The kinds exclude each other, so the loaders may be offered a file in any order:

- `terraform`: `.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`; `terraform show -json` output; and
  a policy JSON file that a Terraform file of the scan can read with `file()`,
  `templatefile()` or `fileset()` (it is audited once, as the resource that reads it, or on
  its own when the configuration does not read it after all);
- `cloudformation`: a CloudFormation, SAM or CDK-synthesized template;
- `policy-json`: any other JSON file that looks like a policy, or that was named on its own.

Only names, the first bytes and the Terraform files' bytes are read here; no parser is imported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from auditor.loaders.cloudformation.detect import looks_like_template
from auditor.loaders.terraform.detect import JsonReferences, is_terraform_source, looks_like_plan

TERRAFORM = "terraform"
CLOUDFORMATION = "cloudformation"
POLICY_JSON = "policy-json"

# A policy, or a lone statement copied out of one, names at least one of these, or gives the
# policy language's version (`{"Version": "2012-10-17"}` alone is a policy, lacking Statement).
POLICY_HINT = re.compile(rb'"(Statement|Effect|Action|NotAction)"\s*:|"Version"\s*:\s*"20(12-10-17|08-10-17)"')
# Byte-order marks of the UTF-16 and UTF-32 text Windows tools write (UTF-32 first: its
# little-endian mark starts with UTF-16's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def wide_encoding(head: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 file announces with its byte-order mark, else None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _hint_text(head: bytes) -> bytes:
    """The head as UTF-8 bytes, for the hints: UTF-16 or UTF-32 text decoded (it is reported
    as not UTF-8 when loaded, whether named or met in a folder)."""
    encoding = wide_encoding(head)
    if encoding is None:
        return head
    return head.decode(encoding, errors="ignore").encode("utf-8")


def is_expectation(name: str) -> bool:
    """Test expectations kept beside fixtures (`expected.json`, `x.yaml.expected.json`)."""
    return name == "expected.json" or name.endswith(".expected.json")


class Inputs:
    """What a scan holds, as far as claiming needs: the files named one by one and the
    Terraform files (whose `file()` calls decide where policy JSON files go). Without a file
    list, the Terraform files beside each JSON file (its folder and three parents) count."""

    def __init__(self, files: Iterable[Path] | None = None, explicit: set[Path] | None = None) -> None:
        self.explicit = explicit or set()
        tf = None if files is None else [f for f in files if is_terraform_source(f.name)
                                          and ".terraform" not in f.parts]
        self.references = JsonReferences(tf)
        self._kinds: dict[Path, str | None] = {}

    def reader(self, path: Path, head: bytes) -> str | None:
        """The kind of loader that reads `path` (`head`: its first 4 KiB), or None."""
        if path not in self._kinds:
            self._kinds[path] = self._reader(path, head)
        return self._kinds[path]

    def _reader(self, path: Path, head: bytes) -> str | None:
        name = path.name
        if is_terraform_source(name):
            return None if ".terraform" in path.parts else TERRAFORM
        if is_expectation(name):
            return None
        if name.endswith(".json") and looks_like_plan(head):
            return TERRAFORM
        if looks_like_template(path, head):
            return CLOUDFORMATION
        if path.suffix.lower() != ".json" or not (path in self.explicit or POLICY_HINT.search(_hint_text(head))):
            return None
        if ".terraform" not in path.parts and self.references.reads(path):
            return TERRAFORM
        return POLICY_JSON
