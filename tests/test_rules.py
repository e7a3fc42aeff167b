"""One walk over every rule: metadata, documentation, fixtures and exact findings."""

from __future__ import annotations

import json
import re

import pytest

from auditor.engine import discover_rules
from auditor.rule import DOC_HEADINGS, LEVELS
from tests.rule_fixtures import RULE_FIXTURES, actual, cases, expected_path

RULES = discover_rules()
IDS = [r.id for r in RULES]


def test_rule_ids_are_unique_and_well_formed() -> None:
    assert len(IDS) == len(set(IDS)), sorted(i for i in IDS if IDS.count(i) > 1)
    for rule in RULES:
        assert re.fullmatch(r"CA\d{3}", rule.id), rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


def test_rule_names_are_unique() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_metadata_and_docs(rule) -> None:
    assert rule.level in LEVELS
    assert rule.short_description and not rule.short_description.endswith(".")
    doc = rule.doc()
    positions = [doc.find(h) for h in DOC_HEADINGS]
    assert all(p >= 0 for p in positions), f"{rule.id} docstring lacks {[h for h, p in zip(DOC_HEADINGS, positions) if p < 0]}"
    assert positions == sorted(positions), f"{rule.id} docstring headings out of order"
    for heading in DOC_HEADINGS:
        assert rule.doc_section(heading.removeprefix("## ")), f"{rule.id}: empty section {heading}"
    sarif = rule.sarif()
    assert sarif["id"] == rule.id and sarif["fullDescription"]["text"] and sarif["help"]["markdown"]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_good_and_bad_fixtures(rule) -> None:
    bad, good = cases(rule.id, "bad"), cases(rule.id, "good")
    assert bad, f"no bad fixtures in {RULE_FIXTURES / rule.id / 'bad'}"
    assert good, f"no good fixtures in {RULE_FIXTURES / rule.id / 'good'}"
    for case in bad:
        assert expected_path(case).is_file(), f"{case} has no expected findings beside it"


def _all_cases(kind: str) -> list[tuple[str, object]]:
    return [(r.id, c) for r in RULES for c in cases(r.id, kind)]


@pytest.mark.parametrize("rule_id,case", _all_cases("bad"), ids=lambda v: getattr(v, "name", v))
def test_bad_fixture_gives_exactly_the_expected_findings(rule_id, case, catalog) -> None:
    expected = json.loads(expected_path(case).read_text())
    assert expected, f"{case}: a bad fixture must expect at least one finding"
    assert actual(rule_id, case, catalog) == expected


@pytest.mark.parametrize("rule_id,case", _all_cases("good"), ids=lambda v: getattr(v, "name", v))
def test_good_fixture_gives_no_finding(rule_id, case, catalog) -> None:
    assert actual(rule_id, case, catalog) == []


def test_docs_rules_md_is_made_from_the_rules() -> None:
    from auditor.rule_docs import rules_markdown
    from tests.rule_fixtures import RULE_FIXTURES

    docs = RULE_FIXTURES.parents[1] / "docs" / "rules.md"
    assert docs.read_text() == rules_markdown(), "run: connect-audit rules --markdown > docs/rules.md"
