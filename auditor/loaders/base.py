"""What a loader is: it claims files and fills the model with the policies it finds.

The scanner walks the inputs, offers every file to each loader's `claims` (by name and the
first bytes), then calls `load` once per loader with all the files it claimed, so loaders that
work per folder (Terraform modules) see the whole tree. A loader never raises on bad input:
it records `model.input_errors` (CA000) with a location and carries on with other files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from auditor.policy.model import Model


@dataclass
class LoadContext:
    # CloudFormation parameters (`--parameters file.json` or key=value)
    parameters: dict[str, str] = field(default_factory=dict)
    # Terraform `--var-file` files, in order
    var_files: list[Path] = field(default_factory=list)
    # Worker processes a loader may use (1 = in-process)
    jobs: int = 1


def display_path(path: Path) -> str:
    """The path as findings show it: relative to the working folder when under it. A symbolic
    link is shown under its own name, not its target's (the folders on the way are resolved),
    and a link that leads nowhere, or round in a loop, is shown too."""
    try:
        full = path.absolute()
        full = full.parent.resolve() / full.name if full.name not in ("", ".", "..") else full.resolve()
        return str(full.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links on the way
        return str(path)


class Loader(Protocol):
    name: str

    def claims(self, path: Path, head: bytes) -> bool:
        """Whether this loader reads `path`; `head` is its first 4 KiB."""

    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        """Add the policies (and principals) found in `paths` to `model`."""


def source_lines(file: str) -> list[str] | None:
    """The lines of a finding's file, for carets and suppression comments; None for anything
    that is not a regular file (a pipe must never be opened: it would block the run)."""
    path = Path(file)
    try:
        if not path.is_file():
            return None
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
