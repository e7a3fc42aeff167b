"""Terraform loader: every IAM policy in a Terraform tree or plan, located to the line.

`TerraformLoader` (the Loader protocol of `auditor.loaders.base`) is the entry point; the
modules say what they hold: `detect` (which files are Terraform's, by names and bytes),
`loader` (the steps of a load), `prefilter` (which files to parse), `syntax` (a fast syntax
check of the others), `parse`/`template`/`tfjson` (HCL and JSON syntax to located nodes),
`evaluate`/`functions`/`modules` (values), `policy_document` (data "aws_iam_policy_document"),
`resources` (policies and principals), `jsontext` (JSON inside heredocs and files), `plan`
(`terraform show -json`). Importing this package, constructing the loader and claiming files
import none of the parsing and evaluating modules: `load` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.loaders.base import LoadContext
from auditor.policy.model import Model

if TYPE_CHECKING:
    from auditor.loaders.claims import Inputs

__all__ = ["TerraformLoader", "parse_file"]


class TerraformLoader:
    """Loads every IAM policy of Terraform configurations (`*.tf`, `*.tf.json`) and plans."""

    name = "terraform"

    def __init__(self, inputs: Inputs | None = None) -> None:
        from auditor.loaders.claims import Inputs

        # Shared with the other loaders (see `auditor.loaders.claims`): each file has one reader.
        self.inputs = inputs or Inputs()

    def claims(self, path: Path, head: bytes) -> bool:
        """`.tf`, `.tf.json`, tfvars, plans, and the policy JSON files a Terraform file can read
        with `file()`/`templatefile()` (audited once: as the resource that reads them, or on
        their own when the configuration turns out not to read them)."""
        from auditor.loaders.claims import TERRAFORM

        return self.inputs.reader(path, head) == TERRAFORM

    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        from auditor.loaders.terraform.loader import TerraformLoad

        TerraformLoad(self.inputs).load(paths, ctx, model)


def __getattr__(name: str) -> Any:
    if name == "parse_file":  # one file to located nodes (tests, other tools)
        from auditor.loaders.terraform.loader import parse_file

        return parse_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
