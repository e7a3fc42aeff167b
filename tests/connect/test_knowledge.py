"""The Connect knowledge layer: every name it holds is checked against the catalog, and every
permission the seed documents name is either an action or a known retirement.

The seed documents are copied in `fixtures/seeds/` (see its README) so these tests run anywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.connect import knowledge as k
from auditor.connect.console_pages import (
    Page,
    console_pages,
    load_console_pages,
    pages_from_data,
    pages_to_data,
    parse_permissions_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# `svc:Action` tokens anywhere in a text (after markdown unescaping), the blank after the colon that
# the documents sometimes have included. Tokens followed by "/" are condition keys.
TOKEN = re.compile(r"(?<![\w:/$-])([a-z][a-z0-9]*(?:-[a-z0-9]+)*):[ \t]?([A-Z][A-Za-z0-9]*\*?)(?![\w/])")
# Prose that looks like a token but names no permission ("Describe instance: View the details").
NOT_PERMISSIONS = {"instance:View"}


def tokens(text: str, blank_after_colon: bool = True) -> set[str]:
    """`blank_after_colon=False` for 000/001, where `key: Value` is YAML and table prose."""
    text = re.sub(r"\\(.)", r"\1", text)
    out = set()
    for m in TOKEN.finditer(text):
        name = f"{m.group(1)}:{m.group(2)}"
        if not blank_after_colon and m.group(0) != name:
            continue
        if name in NOT_PERMISSIONS or m.group(1) == "aws":  # aws: is global condition keys only
            continue
        out.add(m.group(0))
    return out


def assert_known(raw: str, catalog) -> None:
    """A documented permission is a catalog action (blanks forgiven), a pattern that matches some,
    a condition key, or a retirement whose replacement exists."""
    name = k.normalise_action_name(raw)
    if "*" in name:
        assert catalog.expand(name).actions, f"{raw!r} matches no action"
        return
    if catalog.action(name) is not None:
        return
    if catalog.condition_key_type(name) is not None:  # e.g. ec2:Region in seed 002's boilerplate
        return
    entry = k.retired(name)
    assert entry is not None, f"{raw!r} is neither in the catalog nor in RETIRED_ACTIONS"
    assert entry.replacement is None or catalog.action(entry.replacement) is not None


# --- names exist ------------------------------------------------------------------------------------
def test_sensitive_actions_exist_with_catalog_spelling(catalog) -> None:
    assert len(k.SENSITIVE_ACTIONS) >= 40
    for name, why in k.SENSITIVE_ACTIONS.items():
        action = catalog.action(name)
        assert action is not None, name
        assert action.full_name == name, f"{name}: catalog spells it {action.full_name}"
        assert why.strip()
        assert action.service in k.CONNECT_FAMILY, name
    assert set(k.SENSITIVE_CATEGORIES) == set(k.SENSITIVE_ACTIONS)


@pytest.mark.parametrize(
    "name",
    [
        "connect:AdminGetEmergencyAccessToken", "connect:GetFederationToken", "connect:CreateInstance",
        "connect:DeleteInstance", "connect:UpdateSecurityProfile", "connect:CreateSecurityProfile",
        "connect:UpdateUserSecurityProfiles", "connect:AssociateSecurityKey",
        "connect:AssociateInstanceStorageConfig", "connect:UpdateInstanceStorageConfig",
        "connect:DisassociateInstanceStorageConfig", "connect:AssociateApprovedOrigin",
        "connect:UpdateInstanceAttribute", "connect:AssociateLambdaFunction", "connect:AssociateLexBot",
        "connect:AssociateBot", "connect:UpdateUserIdentityInfo", "connect:ClaimPhoneNumber",
        "connect:UpdateTrafficDistribution",
    ],
)
def test_required_sensitive_actions(name: str) -> None:
    assert k.sensitive_reason(name)
    assert k.sensitive_reason(name.lower()) == k.SENSITIVE_ACTIONS[name]


def test_privilege_escalation_actions_exist(catalog) -> None:
    for name, why in k.PRIVILEGE_ESCALATION_ACTIONS.items():
        action = catalog.action(name)
        assert action is not None, name
        assert action.full_name == name, f"{name}: catalog spells it {action.full_name}"
        assert why.strip()
    for name in ("iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion",
                 "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy", "iam:CreateAccessKey",
                 "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AttachUserPolicy",
                 "iam:AttachGroupPolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:AddUserToGroup",
                 "sts:AssumeRole"):
        assert k.escalation_reason(name.upper()) == k.PRIVILEGE_ESCALATION_ACTIONS[name]


def test_service_families_exist(catalog) -> None:
    for prefix in k.CONNECT_FAMILY + k.CONSOLE_SUPPORT_SERVICES:
        assert catalog.has_service(prefix), prefix
    assert not set(k.CONNECT_FAMILY) & set(k.CONSOLE_SUPPORT_SERVICES)


# --- retirements -------------------------------------------------------------------------------------
def test_retired_actions_do_not_exist_and_replacements_do(catalog) -> None:
    for key, entry in k.RETIRED_ACTIONS.items():
        assert key == entry.name.lower()
        assert catalog.action(entry.name) is None, f"{entry.name} exists in the catalog"
        assert entry.kind in k.KINDS
        assert entry.note.strip()
        assert entry.sources and set(entry.sources) <= set(k.SOURCES)
        if entry.replacement is not None:
            action = catalog.action(entry.replacement)
            assert action is not None, f"{entry.name} -> {entry.replacement} does not exist"
            assert action.full_name == entry.replacement


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # AWS renamed GetFederationTokens (emergency/admin login) to AdminGetEmergencyAccessToken;
        # GetFederationToken (singular) is the separate SAML permission.
        ("connect:GetFederationTokens", "connect:AdminGetEmergencyAccessToken"),
        ("connect:DestroyInstance", "connect:DeleteInstance"),
        ("connect:ModifyInstance", "connect:UpdateInstanceAttribute"),
        ("connect:DescribeInstanceAttributes", "connect:DescribeInstanceAttribute"),
        ("appflow:ListConnectorProfiles", "appflow:DescribeConnectorProfiles"),
        ("app-integartions:DeleteEventIntegration", "app-integrations:DeleteEventIntegration"),
        ("profile:ListObjects", "profile:ListProfileObjects"),
        ("connect-campaigns:UpdateOutboundCallConfig", "connect-campaigns:UpdateCampaignOutboundCallConfig"),
        ("connect-campaigns:UpdateDialerConfig", "connect-campaigns:UpdateCampaignDialerConfig"),
    ],
)
def test_known_retirements(old: str, new: str, catalog) -> None:
    assert k.RETIRED_ACTIONS[old.lower()].replacement == new
    assert k.retired(f" {old.upper()} ").replacement == new
    assert k.current_action_name(old, catalog) == new


def test_blanks_are_not_retirements(catalog) -> None:
    for raw in ("wisdom:QueryAssistant ", "connect: AssociateApprovedOrigin", "kinesis: DescribeStream",
                "connect: DisassociateInstanceStorageConfig"):
        assert k.retired(raw) is None
        assert k.current_action_name(raw, catalog) == k.normalise_action_name(raw)
    assert k.current_action_name("connect:deleteuser", catalog) == "connect:DeleteUser"
    assert k.current_action_name("connect:NoSuchThing", catalog) is None


def test_retired_condition_keys(catalog) -> None:
    assert "connect:ResourceTag/key-name" in seed("002").replace("\\", "")
    for entry in k.RETIRED_CONDITION_KEYS.values():
        assert catalog.condition_key_type(entry.name.replace("${TagKey}", "x")) is None
        assert catalog.condition_key_type(entry.replacement.replace("${TagKey}", "x")) is not None
    assert k.retired_condition_key("connect:ResourceTag/CostCentre").replacement == "aws:ResourceTag/${TagKey}"
    assert k.retired_condition_key("aws:ResourceTag/CostCentre") is None


# --- every permission the seeds name ---------------------------------------------------------------------
def test_every_permission_in_003_is_known(catalog) -> None:
    found = tokens(seed("003"))
    assert len(found) > 100
    for raw in sorted(found):
        assert_known(raw, catalog)


@pytest.mark.parametrize("prefix", ["002", "004"])
def test_every_permission_in_002_and_004_is_known(prefix: str, catalog) -> None:
    found = tokens(seed(prefix))
    assert found
    for raw in sorted(found):
        assert_known(raw, catalog)


def test_004_bare_contact_action_names_exist(catalog) -> None:
    text = seed("004")
    listed = text.split("you can list the following contact actions:", 1)[1].split("Or use a wildcard", 1)[0]
    names = re.findall(r"^([A-Z][A-Za-z]+)$", listed, re.M)
    assert len(names) == 6
    for name in names:
        assert catalog.action(f"connect:{name}") is not None, name


def test_every_action_in_000_and_001_is_known(catalog) -> None:
    names = set(re.findall(r"^\|\s+([A-Z][A-Za-z]+)\s+\|", seed("000"), re.M)) - {"Actions"}
    names |= set(re.findall(r"^### ([A-Z][A-Za-z]+)$", seed("001"), re.M))
    assert len(names) > 40
    for name in sorted(names):
        assert_known(f"connect:{name}", catalog)
    for prefix in ("000", "001"):
        for raw in tokens(seed(prefix), blank_after_colon=False):
            assert_known(raw, catalog)


def test_seed_permissions_missing_from_catalog_are_exactly_the_known_ones(catalog) -> None:
    """Guards the report: the seeds' non-existent permissions are these and no others."""
    missing = set()
    for prefix in ("000", "001", "002", "003", "004"):
        for raw in tokens(seed(prefix), blank_after_colon=prefix not in ("000", "001")):
            name = k.normalise_action_name(raw)
            if "*" not in name and catalog.action(name) is None and catalog.condition_key_type(name) is None:
                missing.add(name)
    missing |= {f"connect:{n}" for n in re.findall(r"^### ([A-Z][A-Za-z]+)$", seed("001"), re.M)
                if catalog.action(f"connect:{n}") is None}
    assert missing == {
        "connect:GetFederationTokens", "connect:DestroyInstance", "connect:ModifyInstance",
        "connect:DescribeInstanceAttributes", "appflow:ListConnectorProfiles",
        "app-integartions:DeleteEventIntegration", "profile:ListObjects",
        "connect-campaigns:UpdateOutboundCallConfig", "connect-campaigns:UpdateDialerConfig",
    }


# --- documented exceptions -------------------------------------------------------------------------------
SAML_ARN = "arn:aws:connect:us-east-1:361814831152:instance/2fb42df9-78a2-2e74-d572-c8af67ed289b/user/${aws:userid}"


def test_saml_user_arn_is_a_documented_exception(catalog) -> None:
    action = catalog.action("connect:GetFederationToken")
    # The catalog alone says no: the resource type is the instance.
    assert not catalog.action_accepts_arn(action, SAML_ARN)
    reason = k.is_documented_exception("connect:GetFederationToken", SAML_ARN)
    assert reason and "${aws:userid}" in reason
    assert k.is_documented_exception("connect:getfederationtoken", SAML_ARN) == reason
    # What IAM evaluates for an assumed-role session.
    assert k.is_documented_exception(
        "connect:GetFederationToken", "arn:aws:connect:eu-west-2:111122223333:instance/abc/user/AROAEXAMPLE:alice"
    )


@pytest.mark.parametrize(
    ("action", "arn"),
    [
        ("connect:DescribeUser", SAML_ARN),  # only GetFederationToken
        ("connect:GetFederationToken", "arn:aws:connect:us-east-1:1:instance/abc/agent/${aws:userid}"),
        ("connect:GetFederationToken", "arn:aws:connect:us-east-1:1:instance/abc/queue/q"),
        ("connect:GetFederationToken", "arn:aws:s3:::bucket/instance/abc/user/x"),
    ],
)
def test_not_documented_exceptions(action: str, arn: str) -> None:
    assert k.is_documented_exception(action, arn) is None


def test_documented_exception_actions_exist(catalog) -> None:
    for exc in k.DOCUMENTED_EXCEPTIONS:
        assert catalog.action(exc.action) is not None
        assert set(exc.sources) <= set(k.SOURCES)


# --- console pages --------------------------------------------------------------------------------------
def test_console_pages_load() -> None:
    pages = console_pages()
    assert all(isinstance(p, Page) for p in pages)
    ids = [p.id for p in pages]
    assert len(ids) == len(set(ids))
    by_id = {p.id: p for p in pages}
    assert by_id["admin-emergency-federation"].use_cases[0].actions() == ["connect:AdminGetEmergencyAccessToken"]
    assert by_id["saml-federation"].use_cases[0].actions() == ["connect:GetFederationToken"]
    home = by_id["console-home-page-permissions"]
    assert home.use_case("create instance") is not None
    assert "connect:DescribeInstanceAttribute" in home.use_case(
        "Describe instance: View the details of the instance/ current settings").actions()
    rec = by_id["call-recording-section"]
    assert (rec.title, rec.section) == ("Data storage page", "Call recording section")


def test_console_pages_match_the_seed(catalog) -> None:
    """The bundled data is the seed's tables, permission for permission, as documented."""
    parsed = parse_permissions_markdown(seed("003"))
    bundled = console_pages()
    assert [(p.id, p.title, p.section) for p in parsed] == [(p.id, p.title, p.section) for p in bundled]
    for a, b in zip(parsed, bundled):
        assert [u.name for u in a.use_cases] == [u.name for u in b.use_cases]
        for ua, ub in zip(a.use_cases, b.use_cases):
            assert [x.as_documented for x in ua.permissions] == [x.as_documented for x in ub.permissions]
            assert ua.resources == ub.resources


def test_console_page_permissions_resolve(catalog) -> None:
    corrected = {}
    for page in console_pages():
        for uc in page.use_cases:
            for perm in uc.permissions:
                if perm.current is not None:
                    action = catalog.action(perm.current)
                    assert action is not None and action.full_name == perm.current, perm
                if perm.current == perm.as_documented:
                    assert perm.why is None
                else:
                    assert perm.why, perm
                    corrected[perm.as_documented] = perm.current
                    assert k.current_action_name(perm.as_documented, catalog) == perm.current
    assert corrected == {
        "connect:DescribeInstanceAttributes": "connect:DescribeInstanceAttribute",
        "connect: DisassociateInstanceStorageConfig": "connect:DisassociateInstanceStorageConfig",
        "kinesis: DescribeStream": "kinesis:DescribeStream",
        "connect: AssociateApprovedOrigin": "connect:AssociateApprovedOrigin",
        "appflow:ListConnectorProfiles": "appflow:DescribeConnectorProfiles",
        "connect:GetFederationTokens": "connect:AdminGetEmergencyAccessToken",
    }


def test_console_pages_json_round_trip(tmp_path: Path) -> None:
    data = json.loads((ROOT / "auditor" / "connect" / "data" / "console_pages.json").read_text())
    assert pages_to_data(pages_from_data(data), data.get("source")) == data
    path = tmp_path / "pages.json"
    path.write_text(json.dumps(data))
    assert load_console_pages(path) == console_pages()


def test_parser_reads_the_current_page_format() -> None:
    """AWS now writes the cells with back-ticks and <br /> and the anchors on their own line."""
    text = (
        "## Telephony page\n<a name=\"telephony-page\"></a>\n\n\n"
        "| Action/Use case | Permissions needed | \n| --- | --- | \n"
        "| Enable/Disable telephony options  | `connect:UpdateInstanceAttribute`<br />"
        "`connect: DescribeInstance` | \n\n"
        "### Admin/Emergency federation\n<a name=\"admin-emergency-federation\"></a>\n\n"
        "| Action/Use case | Permissions needed | \n| --- | --- | \n"
        "| Admin/Emergency federation | `connect:AdminGetEmergencyAccessToken` | \n"
    )
    pages = parse_permissions_markdown(text)
    assert [(p.id, p.title, p.section) for p in pages] == [
        ("telephony-page", "Telephony page", None),
        ("admin-emergency-federation", "Telephony page", "Admin/Emergency federation"),
    ]
    assert [x.as_documented for x in pages[0].use_cases[0].permissions] == [
        "connect:UpdateInstanceAttribute", "connect: DescribeInstance"]


# --- the 004 example policies ---------------------------------------------------------------------------
def test_004_fixtures_are_the_seed_policies_verbatim() -> None:
    lines = [ln for ln in seed("004").split("\n") if ln.startswith("{")]
    files = sorted(p for p in (SEEDS / "004").glob("*.json") if not p.name.endswith(".expected.json"))
    assert len(files) == len(lines) == 11
    for path, line in zip(files, lines):
        assert path.read_text(encoding="utf-8") == line + "\n", path.name
    readme = (SEEDS / "004" / "README.md").read_text()
    for path in files:
        assert path.name in readme
