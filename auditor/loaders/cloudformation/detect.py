"""Which files are CloudFormation (or SAM, or CDK-synthesized) templates, by their content."""

from __future__ import annotations

import re
from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json", ".template")

_VERSION = re.compile(rb"AWSTemplateFormatVersion")
# `Transform: AWS::Serverless-...`, also in a list (flow or block) after other transforms.
_SAM = re.compile(rb"""Transform["']?\s*:(?:[\s\[\],'"-]|AWS::[A-Za-z0-9-]+)*AWS::Serverless""")
# `Resources` as a top-level YAML key, or as a JSON member, with a resource type nearby.
_RESOURCES = re.compile(rb"""(^|\n)Resources\s*:|"Resources"\s*:""")
_AWS_TYPE = re.compile(rb"""["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::""")


def is_cdk_output(path: Path) -> bool:
    return path.name.endswith(".template.json") and any(p.name == "cdk.out" for p in path.parents)


def looks_like_template(path: Path, head: bytes) -> bool:
    """`head` is the file's first bytes (4 KiB). A template that opens with more than 4 KiB of
    Parameters before its Resources still names AWSTemplateFormatVersion or its Transform first
    in practice; a CDK template is known by where it is."""
    name = path.name.lower()
    if not name.endswith(SUFFIXES) or name.endswith(".expected.json"):
        return False
    if is_cdk_output(path):
        return True
    if _VERSION.search(head) or _SAM.search(head):
        return True
    return bool(_RESOURCES.search(head) and _AWS_TYPE.search(head))
