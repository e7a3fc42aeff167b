"""docs/rules.md, made from the rules' own metadata and docstrings (never written by hand)."""

from __future__ import annotations

from auditor.engine import discover_rules


def rules_markdown() -> str:
    rules = sorted(discover_rules(), key=lambda r: r.id)
    out = ["# Rules", "",
           "Made by `connect-audit rules --markdown > docs/rules.md` from each rule's docstring; edit the rule, "
           "not this file.", "",
           "| id | name | level | summary |", "| --- | --- | --- | --- |"]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.name} | {r.level} | {r.short_description} |" for r in rules]
    for r in rules:
        body = r.doc().replace("\n## ", "\n### ")
        out += ["", f"## {r.id}", "", f"**{r.name}** (default level: {r.level})", "", body]
    return "\n".join(out) + "\n"
