"""AWS's service reference format -> the catalog's `Service`."""

from __future__ import annotations

import json

import pytest

from auditor.catalog import Source
from auditor.catalog.service_reference import (
    ReferenceFormatError,
    access_level,
    condition_type,
    parse_global_keys,
    service_from_reference,
    service_to_reference,
    validate_index,
    validate_service,
)
from auditor.catalog.store import bundled_source_folder

from .conftest import GENERATED_FROM, REFERENCE, fixtures_match_bundled


@pytest.fixture(scope="module")
def bundled() -> Source:
    return Source(bundled_source_folder())


def load(prefix: str) -> dict:
    return json.loads((REFERENCE / "v1" / prefix / f"{prefix}.json").read_text())


def props(**flags: bool) -> dict:
    base = {"IsList": False, "IsPermissionManagement": False, "IsTaggingOnly": False, "IsWrite": False}
    base.update(flags)
    return {"Name": "X", "Annotations": {"Properties": base}}


@pytest.mark.parametrize("flags, level", [
    ({"IsPermissionManagement": True, "IsWrite": True}, "Permissions management"),
    ({"IsTaggingOnly": True, "IsWrite": True}, "Tagging"),
    ({"IsWrite": True}, "Write"),
    ({"IsList": True}, "List"),
    ({}, "Read"),
])
def test_access_level_from_annotations(flags: dict, level: str) -> None:
    assert access_level(props(**flags)) == level


def test_access_level_without_annotations_falls_back(bundled: Source) -> None:
    old = bundled.service("connect").action("ListUsers")
    assert access_level({"Name": "ListUsers"}, old) == "List"
    assert access_level({"Name": "New"}) == "Read"


@pytest.mark.parametrize("prefix", ["connect", "profile", "cases"])
def test_unchanged_actions_convert_to_what_the_bundled_database_says(bundled: Source, prefix: str) -> None:
    if not fixtures_match_bundled():
        pytest.skip(f"the fixtures come from {GENERATED_FROM}, not {bundled.label}: regenerate them")
    old = bundled.service(prefix)
    new = service_from_reference(load(prefix), old)
    assert new.name == old.name and new.url == old.url
    assert new.conditions == old.conditions
    for name, a in old.actions.items():
        b = new.actions.get(name)
        if b is None:
            assert (prefix, name) == ("connect", "ListRealtimeContactAnalysisSegments")  # removed in the fixture
            continue
        assert (b.access_level, b.description, b.api_link) == (a.access_level, a.description, a.api_link), name
        assert b.condition_keys == a.condition_keys, name
        assert b.dependent_actions == a.dependent_actions, name
        assert b.star_only == a.star_only, name
        assert sorted((r.name, r.required) for r in b.rows if r.name) == \
            sorted((r.name, r.required) for r in a.rows if r.name), name
    for name, rt in old.resources.items():
        assert new.resources[name] == rt


def test_a_new_service_without_bundled_data() -> None:
    svc = service_from_reference(load("qconnect"))
    assert svc.prefix == "qconnect" and svc.name == "qconnect"
    create = svc.action("createassistant")
    assert create.star_only and create.access_level == "Write"
    assert create.condition_keys == {"aws:RequestTag/${TagKey}", "aws:TagKeys"}
    tag = svc.action("TagResource")
    assert [(rt.name, req) for rt, req in tag.resource_types] == [("AIAgent", False), ("Assistant", False)]
    assert tag.access_level == "Tagging"
    assert svc.conditions["aws:TagKeys"] == "ArrayOfString"


def test_the_compact_form_round_trips() -> None:
    from auditor.catalog.types import Service

    svc = service_from_reference(load("qconnect"))
    again = Service.from_compact(json.loads(json.dumps(svc.to_compact())))
    assert again.to_compact() == svc.to_compact()


def test_every_bundled_service_survives_the_round_trip(bundled: Source) -> None:
    """Policy Sentry -> AWS's format -> catalog keeps everything that matters, for every service."""
    for prefix in bundled.prefixes:
        old = bundled.service(prefix)
        doc = service_to_reference(old)
        validate_service(doc, prefix)
        new = service_from_reference(doc, old)
        assert new.resources == old.resources and new.conditions == old.conditions, prefix
        for name, a in old.actions.items():
            b = new.actions[name]
            assert (b.access_level, b.star_only, b.condition_keys, b.dependent_actions) == \
                (a.access_level, a.star_only, a.condition_keys, a.dependent_actions), (prefix, name)
            assert [(rt.name, req) for rt, req in b.resource_types] == \
                [(rt.name, req) for rt, req in a.resource_types], (prefix, name)


@pytest.mark.parametrize("types, expected", [
    (["String"], "String"), (["ArrayOfString"], "ArrayOfString"), (["Arn"], "ARN"), (["Boolean"], "Bool"),
    (["Long"], "Numeric"), ("Date", "Date"), ([], "String"), (None, "String"), (["Weird"], "Weird"),
])
def test_condition_types(types: object, expected: str) -> None:
    assert condition_type(types) == expected


@pytest.mark.parametrize("doc, why", [
    ([], "not a JSON object"),
    ({"Actions": []}, "Name"),
    ({"Name": "connect"}, "Actions"),
    ({"Name": "connect", "Actions": [{"Resources": []}]}, "action 0"),
    ({"Name": "connect", "Actions": [{"Name": "A", "Resources": "instance"}]}, "Resources of action A"),
    ({"Name": "connect", "Actions": [], "Resources": [{"Name": "r", "ARNFormats": "arn:..."}]}, "ARNFormats"),
    ({"Name": "connect", "Actions": [], "ConditionKeys": [{"Types": ["String"]}]}, "condition key 0"),
    ({"Name": "Not A Prefix!", "Actions": []}, "not a service prefix"),
    ({"Name": "profile", "Actions": []}, "expected 'connect'"),
])
def test_validate_service_rejects(doc: object, why: str) -> None:
    with pytest.raises(ReferenceFormatError, match=why):
        validate_service(doc, "connect")


def test_validate_index() -> None:
    index = json.loads((REFERENCE / "index.json").read_text())
    assert validate_index(index)["connect"].endswith("/v1/connect/connect.json")
    for bad in ({}, [], [{"service": "x"}], ["x"]):
        with pytest.raises(ReferenceFormatError):
            validate_index(bad)


def test_parse_global_keys() -> None:
    doc = json.loads((REFERENCE / "v1" / "global-condition-keys" / "global-condition-keys.json").read_text())
    keys = parse_global_keys(doc)
    assert keys["aws:VpceOrgPaths"] == "ArrayOfString" and keys["aws:SourceIp"] == "IPAddress"
    assert keys["aws:FixtureOnlyGlobalKey"] == "Numeric"
    assert parse_global_keys([{"Name": "aws:X", "Type": "Bool"}]) == {"aws:X": "Bool"}
    assert parse_global_keys(load("qconnect")) is None  # a service: has actions
    assert parse_global_keys({"ConditionKeys": [{"Name": "connect:InstanceId", "Types": ["String"]}]}) is None
    assert parse_global_keys({"ConditionKeys": []}) is None
