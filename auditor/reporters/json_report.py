"""JSON for programs: stable keys, findings sorted, byte-identical across runs."""

from __future__ import annotations

import json
from typing import Any

from auditor import __version__
from auditor.engine import Report
from auditor.rule import Finding


def finding_dict(f: Finding) -> dict[str, Any]:
    loc = f.location()
    return {
        "rule_id": f.rule_id,
        "rule_name": f.extra.get("rule_name", ""),
        "level": f.level,
        "message": f.message,
        "suggestion": f.suggestion,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "resource": f.resource,
        "statement": f.statement,
        "path": list(f.path),
        "suppressed": f.suppressed,
    }


def catalog_dict(report: Report) -> dict[str, Any]:
    """The catalog that answered (and its date) and, when several did, which answered for what."""
    cat = report.catalog
    return {
        "source": cat.source,
        "date": cat.date,
        "sources": [{"source": s.label, "date": s.date, "services": p} for s, p in cat.used_sources()],
    }


def report_dict(report: Report) -> dict[str, Any]:
    names = {r.id: r.name for r in report.rules}
    findings = []
    for f in report.findings:
        d = finding_dict(f)
        d["rule_name"] = names.get(f.rule_id, "input-error" if f.rule_id == "CA000" else "")
        findings.append(d)
    counts = report.counts()
    return {
        "tool": {"name": "connect-audit", "version": __version__},
        "catalog": catalog_dict(report),
        "findings": findings,
        "summary": {
            "files": len(report.files()),
            "policies": len(report.model.policies),
            "findings": sum(counts.values()),
            "suppressed": sum(1 for f in report.findings if f.suppressed),
            "by_level": counts,
        },
    }


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
