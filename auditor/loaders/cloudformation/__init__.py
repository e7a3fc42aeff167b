"""CloudFormation, SAM and CDK-synthesized templates: every IAM policy, located to the line.

    CloudFormationLoader().load(paths, ctx, model)   # the Loader protocol (auditor/loaders/base.py)
    load_template_file(path, parameters, model)      # one template (tests, other tools)

See `detect` (which files are templates), `yaml_marks` (reading with positions), `intrinsics`
(resolving functions), `resources` (which resource types hold which policies) and `embedded`
(JSON documents inside strings). Importing this package, constructing the loader and claiming
files import none of them (nor yaml): `load` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from auditor.loaders.base import LoadContext, display_path
from auditor.policy.model import Model, Span

if TYPE_CHECKING:
    from auditor.loaders.claims import Inputs

__all__ = ["CloudFormationLoader", "load_template_file", "load_template_text"]


class CloudFormationLoader:
    name = "cloudformation"

    def __init__(self, inputs: Inputs | None = None) -> None:
        from auditor.loaders.claims import Inputs

        # Shared with the other loaders (see `auditor.loaders.claims`): each file has one reader.
        self.inputs = inputs or Inputs()

    def claims(self, path: Path, head: bytes) -> bool:
        from auditor.loaders.claims import CLOUDFORMATION

        return self.inputs.reader(path, head) == CLOUDFORMATION

    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        for path in paths:
            try:
                load_template_file(path, ctx.parameters, model)
            except Exception as exc:  # a loader bug on one template must not lose the others
                model.input_errors.append((Span(display_path(path), 1, 1, 1, 1),
                                           f"internal error in the cloudformation loader: {type(exc).__name__}: {exc}"))


def load_template_file(path: Path, parameters: dict[str, str], model: Model) -> None:
    """Add one template's policies and principals to `model`; never raises on bad input."""
    from auditor.loaders.policy_json import read_text

    text = read_text(path, model)
    if text is None:
        return
    load_template_text(text, display_path(path), parameters, model)


def load_template_text(text: str, file: str, parameters: dict[str, str], model: Model) -> None:
    from .resources import TemplateExtractor
    from .yaml_marks import TemplateError, load_template

    try:
        template = load_template(text, file)
    except TemplateError as exc:
        model.input_errors.append((Span(file, *exc.span), exc.message))
        return
    TemplateExtractor(template, parameters, model).run()
