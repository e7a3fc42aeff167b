"""SARIF 2.1.0 for GitHub code scanning: every rule's metadata, results with regions."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote
from typing import Any

from auditor import __version__
from auditor.engine import Report, discover_rules
from auditor.reporters.json_report import catalog_dict
from auditor.rule import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SEVERITY = {"error": "8.0", "warning": "5.0", "note": "2.0"}


def _result(f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    loc = f.location()
    region: dict[str, int] = {}
    if loc.line:
        region = {"startLine": loc.line, "startColumn": max(1, loc.column)}
        if loc.end_line >= loc.line and (loc.end_line > loc.line or loc.end_column > loc.column):
            region.update(endLine=loc.end_line, endColumn=loc.end_column)
    # A relative URI reference: `#`, `%` and spaces in file names must be percent-encoded.
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(loc.file.replace("\\", "/"), safe="/")}}
    if region:
        physical["region"] = region
    message = f.message + (f" Fix: {f.suggestion}" if f.suggestion else "")
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": f.level,
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        # Stable across runs and line moves, so code scanning tracks a finding, not a line.
        "partialFingerprints": {"primaryLocationLineHash": _fingerprint(f)},
    }
    if f.rule_id in rule_index:
        result["ruleIndex"] = rule_index[f.rule_id]
    if f.resource:
        result["locations"][0]["logicalLocations"] = [{"name": f.resource, "kind": "resource"}]
    if f.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def _fingerprint(f: Finding) -> str:
    key = "|".join([f.rule_id, f.location().file, f.resource or "", "/".join(map(str, f.path)), f.message])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def report_dict(report: Report) -> dict[str, Any]:
    # Every rule the tool has, so code scanning can show help for any of them.
    rule_classes = sorted(discover_rules(), key=lambda r: r.id)
    rules = []
    for cls in rule_classes:
        entry = cls.sarif()
        entry["properties"]["security-severity"] = _SEVERITY[cls.level]
        configured = next((r.configured_level for r in report.rules if r.id == cls.id), None)
        if configured and configured != cls.level:
            entry["defaultConfiguration"]["level"] = configured
        rules.append(entry)
    index = {r["id"]: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "connect-audit",
                        "fullName": "connect-policy-auditor",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/connect-policy-auditor/connect-policy-auditor",
                        "rules": rules,
                    }
                },
                "results": [_result(f, index) for f in report.findings],
                "properties": {"catalog": catalog_dict(report)},
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
