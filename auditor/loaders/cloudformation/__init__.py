"""CloudFormation, SAM and CDK-synthesized templates: every IAM policy, located to the line.

    CloudFormationLoader().load(paths, ctx, model)   # the Loader protocol (auditor/loaders/base.py)
    load_template_file(path, parameters, model)      # one template (tests, other tools)

See `yaml_marks` (reading with positions), `intrinsics` (resolving functions), `resources`
(which resource types hold which policies) and `embedded` (JSON documents inside strings).
"""

from __future__ import annotations

from pathlib import Path

from auditor.loaders.base import LoadContext, display_path
from auditor.loaders.policy_json import read_text
from auditor.policy.model import Model, Span

from .detect import looks_like_template
from .resources import TemplateExtractor
from .yaml_marks import TemplateError, load_template

__all__ = ["CloudFormationLoader", "load_template_file", "load_template_text"]


class CloudFormationLoader:
    name = "cloudformation"

    def claims(self, path: Path, head: bytes) -> bool:
        return looks_like_template(path, head)

    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        for path in paths:
            try:
                load_template_file(path, ctx.parameters, model)
            except Exception as exc:  # a loader bug on one template must not lose the others
                model.input_errors.append((Span(display_path(path), 1, 1, 1, 1),
                                           f"internal error in the cloudformation loader: {type(exc).__name__}: {exc}"))


def load_template_file(path: Path, parameters: dict[str, str], model: Model) -> None:
    """Add one template's policies and principals to `model`; never raises on bad input."""
    text = read_text(path, model)
    if text is None:
        return
    load_template_text(text, display_path(path), parameters, model)


def load_template_text(text: str, file: str, parameters: dict[str, str], model: Model) -> None:
    try:
        template = load_template(text, file)
    except TemplateError as exc:
        model.input_errors.append((Span(file, *exc.span), exc.message))
        return
    TemplateExtractor(template, parameters, model).run()
