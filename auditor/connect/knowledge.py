"""What the auditor knows about Amazon Connect beyond the catalog.

Everything here is data checked against the catalog by `tests/connect/test_knowledge.py`:

- `RETIRED_ACTIONS`: action names that Connect documentation (old and current) uses but that are
  not actions (any more), with the current name to use instead; `RETIRED_CONDITION_KEYS` likewise
  for condition keys.
- `DOCUMENTED_EXCEPTIONS` / `is_documented_exception`: places where AWS documents a policy as valid
  although the catalog (the Service Authorization Reference) says otherwise.
- `SENSITIVE_ACTIONS`: Connect-family actions that can hand over a contact centre, its recordings
  or its agents' identities, with the reason; `SENSITIVE_CATEGORIES` groups them.
- `PRIVILEGE_ESCALATION_ACTIONS`: IAM and related actions with which a principal can gain
  permissions it was not given.
- `CONNECT_FAMILY`: the IAM service prefixes that make up Amazon Connect;
  `CONSOLE_SUPPORT_SERVICES`: the other services the Connect console pages need.

Names are catalog spellings (`connect:AdminGetEmergencyAccessToken`); lookups through the helper
functions are case-insensitive and forgive stray blanks (`"connect: DeleteUser "`), as the
documentation itself has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.catalog.patterns import arn_matches_format

if TYPE_CHECKING:  # pragma: no cover
    from auditor.catalog import Catalog

__all__ = [
    "CONNECT_FAMILY",
    "CONSOLE_SUPPORT_SERVICES",
    "DOCUMENTED_EXCEPTIONS",
    "DocumentedException",
    "PRIVILEGE_ESCALATION_ACTIONS",
    "RETIRED_ACTIONS",
    "RETIRED_CONDITION_KEYS",
    "Retired",
    "SENSITIVE_ACTIONS",
    "SENSITIVE_CATEGORIES",
    "SOURCES",
    "current_action_name",
    "escalation_reason",
    "is_documented_exception",
    "normalise_action_name",
    "retired",
    "retired_condition_key",
    "sensitive_reason",
]

# --- where the knowledge comes from --------------------------------------------------------------
SOURCES: dict[str, str] = {
    "seed-000": "Service Authorization Reference, 'Actions, Resources, and Condition Keys for Amazon "
    "Connect', an early revision (fixtures/seeds/000_69e64165e1ccff8d.txt)",
    "seed-001": "Policy Sentry's old Connect page (fixtures/seeds/001_a1839be157b46515.txt)",
    "seed-002": "Amazon Connect Administrator Guide, 'How Amazon Connect works with IAM' "
    "(fixtures/seeds/002_a74f54730022fe49.txt)",
    "seed-003": "Amazon Connect Administrator Guide, 'Required permissions for using custom IAM policies "
    "to manage access to the Amazon Connect console' (fixtures/seeds/003_b71596f31d02ca06.txt)",
    "seed-004": "Amazon Connect Administrator Guide, 'Amazon Connect resource-level policy examples' "
    "(fixtures/seeds/004_d4421f6ba48ad506.txt)",
    "console-permissions-old": "An earlier revision of the console-permissions page: "
    "awsdocs/amazon-connect-admin-guide doc_source/security-iam-amazon-connect-permissions.md",
    "console-permissions-current": "The current console-permissions page "
    "(https://docs.aws.amazon.com/connect/latest/adminguide/security-iam-amazon-connect-permissions.html), "
    "which lists connect:AdminGetEmergencyAccessToken for Admin/Emergency federation",
    "managed-policies": "Amazon Connect Administrator Guide, 'AWS managed policies for Amazon Connect', "
    "change log entry of June 15, 2024 "
    "(https://docs.aws.amazon.com/connect/latest/adminguide/security_iam_awsmanpol.html)",
    "campaigns-slr": "AWS managed policy AmazonConnectCampaignsServiceLinkedRolePolicy (as moto ships it)",
    "saml-setup": "Amazon Connect Administrator Guide, 'Configure SAML with IAM for Amazon Connect' and "
    "'Troubleshoot SAML': connect:GetFederationToken on "
    "arn:aws:connect:<region>:<account>:instance/<id>/user/${aws:userid}",
}


# --- retired, renamed and misspelt actions ---------------------------------------------------------
@dataclass(frozen=True)
class Retired:
    """An action name found in documentation that the catalog does not have.

    `kind` says why it is not an action:
      - "renamed": AWS renamed the action; the old name is the same permission under a new name.
      - "retired": the action was removed; `replacement` is the action that now does its job.
      - "misspelt": a typing error in the documentation (wrong letter, plural, prefix).
      - "misnamed": the documentation names an action the service never had; `replacement` is
        the real action for the operation meant.
    `replacement` is a catalog action, or None when nothing replaces it.
    """

    name: str
    replacement: str | None
    note: str
    kind: str = "retired"
    sources: tuple[str, ...] = field(default=())


KINDS = ("renamed", "retired", "misspelt", "misnamed")

_RETIRED: tuple[Retired, ...] = (
    # Named by the seed documents.
    Retired(
        "connect:GetFederationTokens",
        "connect:AdminGetEmergencyAccessToken",
        "The 'Log in as administrator' / emergency-access permission. AWS renamed it to "
        "connect:AdminGetEmergencyAccessToken (managed-policy change log, June 15, 2024) and says the old "
        "name keeps working in existing policies, so a grant of it is still live. It is not "
        "connect:GetFederationToken (singular), which is the separate SAML-federation permission the same "
        "documents list beside it.",
        "renamed",
        ("seed-000", "seed-001", "seed-003", "managed-policies", "console-permissions-current"),
    ),
    Retired(
        "connect:DestroyInstance",
        "connect:DeleteInstance",
        "Old name of the instance-deletion permission; the console page once listed both for "
        "'Delete instance', and only connect:DeleteInstance remains.",
        "retired",
        ("seed-000", "seed-001", "console-permissions-old"),
    ),
    Retired(
        "connect:ModifyInstance",
        "connect:UpdateInstanceAttribute",
        "Old catch-all permission for changing instance settings. Its telephony, flow-log and Polly uses "
        "are connect:UpdateInstanceAttribute today; its storage and streaming uses are "
        "connect:Associate/Update/DisassociateInstanceStorageConfig, approved origins "
        "connect:AssociateApprovedOrigin and flow security keys connect:AssociateSecurityKey.",
        "retired",
        ("seed-000", "seed-001", "console-permissions-old"),
    ),
    Retired(
        "connect:DescribeInstanceAttributes",
        "connect:DescribeInstanceAttribute",
        "Plural typo in the console-permissions page ('Describe instance' on the home page); the action is "
        "connect:DescribeInstanceAttribute, as the same page spells it elsewhere. The current page still "
        "has the typo.",
        "misspelt",
        ("seed-003", "console-permissions-current"),
    ),
    Retired(
        "appflow:ListConnectorProfiles",
        "appflow:DescribeConnectorProfiles",
        "Amazon AppFlow has no ListConnectorProfiles; connector profiles are listed by "
        "DescribeConnectorProfiles (the current console page lists both).",
        "misnamed",
        ("seed-003", "console-permissions-current"),
    ),
    Retired(
        "app-integartions:DeleteEventIntegration",
        "app-integrations:DeleteEventIntegration",
        "Misspelt service prefix ('app-integartions') in the AppIntegrations policy example.",
        "misspelt",
        ("seed-004",),
    ),
    Retired(
        "profile:ListObjects",
        "profile:ListProfileObjects",
        "Customer Profiles has no ListObjects; the read-only example means ListProfileObjects.",
        "misnamed",
        ("seed-004",),
    ),
    Retired(
        "connect-campaigns:UpdateOutboundCallConfig",
        "connect-campaigns:UpdateCampaignOutboundCallConfig",
        "Outbound campaigns' action is UpdateCampaignOutboundCallConfig.",
        "misnamed",
        ("seed-004",),
    ),
    Retired(
        "connect-campaigns:UpdateDialerConfig",
        "connect-campaigns:UpdateCampaignDialerConfig",
        "Outbound campaigns' action is UpdateCampaignDialerConfig.",
        "misnamed",
        ("seed-004",),
    ),
    # Named by an earlier revision of the console-permissions page (not in the seeds), each listed
    # there beside the action that now does its job; policies written from that page still carry them.
    Retired(
        "connect:GetDataStreamConfig",
        "connect:DescribeInstanceStorageConfig",
        "Data streaming (contact records, agent events) is instance storage configuration of a Kinesis "
        "type now; read it with connect:DescribeInstanceStorageConfig / connect:ListInstanceStorageConfigs.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:UpdateDataStreamConfig",
        "connect:UpdateInstanceStorageConfig",
        "Data streaming is changed through connect:Associate/Update/DisassociateInstanceStorageConfig.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:GetMediaStreamingConfig",
        "connect:DescribeInstanceStorageConfig",
        "Live media streaming is instance storage configuration of type MEDIA_STREAMS now.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:UpdateMediaStreamingConfig",
        "connect:UpdateInstanceStorageConfig",
        "Live media streaming is changed through connect:Associate/Update/DisassociateInstanceStorageConfig.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:AssociateInstanceStorage",
        "connect:AssociateInstanceStorageConfig",
        "Old name, listed beside connect:AssociateInstanceStorageConfig for chat transcripts.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:DisassociateInstanceStorage",
        "connect:DisassociateInstanceStorageConfig",
        "Old name, listed beside connect:DisassociateInstanceStorageConfig for chat transcripts.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:AddLexBots",
        "connect:AssociateLexBot",
        "Old console permission; Lex V1 bots are connect:AssociateLexBot, Lex V2 bots connect:AssociateBot.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:RemoveLexBots",
        "connect:DisassociateLexBot",
        "Old console permission; Lex V1 bots are connect:DisassociateLexBot, Lex V2 bots "
        "connect:DisassociateBot.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:AddLambdaFunctions",
        "connect:AssociateLambdaFunction",
        "Old console permission, listed beside connect:AssociateLambdaFunction.",
        "retired",
        ("console-permissions-old",),
    ),
    Retired(
        "connect:RemoveLambdaFunctions",
        "connect:DisassociateLambdaFunction",
        "Old console permission, listed beside connect:DisassociateLambdaFunction.",
        "retired",
        ("console-permissions-old",),
    ),
)

RETIRED_ACTIONS: dict[str, Retired] = {r.name.lower(): r for r in _RETIRED}

# Condition keys the documentation names that the catalog does not have, keyed by lower-case name
# (a trailing `/${TagKey}` stands for any tag key).
RETIRED_CONDITION_KEYS: dict[str, Retired] = {
    "connect:resourcetag/${tagkey}": Retired(
        "connect:ResourceTag/${TagKey}",
        "aws:ResourceTag/${TagKey}",
        "'How Amazon Connect works with IAM' names connect:ResourceTag/key-name; Connect's tag condition "
        "key is the global aws:ResourceTag/${TagKey}.",
        "misnamed",
        ("seed-002",),
    ),
}


def retired_condition_key(key: str) -> Retired | None:
    """The `Retired` entry for a condition key as written in a policy (`connect:ResourceTag/Dept`)."""
    low = key.strip().lower()
    entry = RETIRED_CONDITION_KEYS.get(low)
    if entry is None and "/" in low:
        entry = RETIRED_CONDITION_KEYS.get(low.split("/", 1)[0] + "/${tagkey}")
    return entry


_BLANKS_AROUND_COLON = re.compile(r"\s*:\s*")


def normalise_action_name(text: str) -> str:
    """`" connect: DeleteUser "` -> `"connect:DeleteUser"`: the stray blanks the documentation has
    (a trailing space in `"wisdom:QueryAssistant "`, a space after the colon) removed. Case is kept."""
    return _BLANKS_AROUND_COLON.sub(":", text.strip(), count=1)


def retired(name: str) -> Retired | None:
    """The `Retired` entry for an action name (case-insensitive, blanks forgiven), or None."""
    return RETIRED_ACTIONS.get(normalise_action_name(name).lower())


def current_action_name(name: str, catalog: "Catalog | None" = None) -> str | None:
    """The catalog spelling of the action a documented name means: the name itself (blanks removed,
    catalog case) when it exists, the replacement when it is retired, else None."""
    if catalog is None:
        from auditor.catalog import Catalog

        catalog = Catalog.default()
    clean = normalise_action_name(name)
    action = catalog.action(clean)
    if action is not None:
        return action.full_name
    entry = RETIRED_ACTIONS.get(clean.lower())
    return entry.replacement if entry else None


# --- documented exceptions ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentedException:
    """AWS documents `action` on ARNs of `arn_format` (catalog-style, `${Var}`) as valid although no
    resource type of the action in the catalog has that form."""

    action: str
    arn_format: str
    reason: str
    sources: tuple[str, ...] = ()


DOCUMENTED_EXCEPTIONS: tuple[DocumentedException, ...] = (
    DocumentedException(
        "connect:GetFederationToken",
        "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/user/${UserId}",
        "AWS documents connect:GetFederationToken on "
        "arn:aws:connect:<region>:<account>:instance/<instance-id>/user/${aws:userid} for SAML sign-in "
        "to Amazon Connect (one statement per instance, each federated session limited to itself). IAM "
        "evaluates the call against .../instance/<id>/user/<role-id>:<session-name>, not against the "
        "instance ARN the Service Authorization Reference gives as the resource type, so this form is "
        "valid. (Resource \"*\" with a connect:InstanceId condition is the other documented form.)",
        ("saml-setup",),
    ),
    DocumentedException(
        "connect:GetMetricDataV2",
        "arn:${Partition}:connect-campaigns:${Region}:${Account}:campaign/${CampaignId}",
        "AWS's own AmazonConnectCampaignsServiceLinkedRolePolicy grants connect:GetMetricDataV2 on "
        "outbound-campaign ARNs (arn:aws:connect-campaigns:*:*:campaign/*): campaign metrics are read "
        "through it, although the Service Authorization Reference lists only Connect resource types.",
        ("campaigns-slr",),
    ),
)


def is_documented_exception(action_full_name: str, arn: str) -> str | None:
    """The reason AWS gives, when `action_full_name` on `arn` (as written in a policy: globs, policy
    variables and unresolved template holes allowed) is a documented exception; else None."""
    clean = normalise_action_name(action_full_name).lower()
    for exc in DOCUMENTED_EXCEPTIONS:
        if exc.action.lower() == clean and arn_matches_format(arn, exc.arn_format, strict_ids=True):
            return exc.reason
    return None


# --- sensitive Connect-family actions ----------------------------------------------------------------
_SENSITIVE: dict[str, dict[str, str]] = {
    "federation": {
        "connect:AdminGetEmergencyAccessToken": "Emergency (admin) sign-in to the instance's admin website "
        "as its administrator, bypassing the instance's identity provider and its authentication-profile "
        "IP restrictions; AWS advises restricting it with aws:SourceIp. (Formerly "
        "connect:GetFederationTokens, which still works.)",
        "connect:GetFederationToken": "Signs in to the instance as the Connect user whose username matches "
        "the caller's role session name: a principal that can assume the role with a session name of its "
        "choosing can sign in as any user, administrators included. Grant it only to the SAML federation "
        "role, scoped to .../user/${aws:userid} or by connect:InstanceId.",
    },
    "instance lifecycle": {
        "connect:CreateInstance": "Creates a contact centre, its directory, service-linked role, and "
        "storage; needs ds:, iam: and kms: rights besides.",
        "connect:DeleteInstance": "Deletes the instance with its users, flows, queues, phone-number "
        "claims and configuration; it cannot be undone.",
        "connect:ReplicateInstance": "Copies the instance (users, configuration) into another Region "
        "(Global Resiliency).",
    },
    "identity and access inside Connect": {
        "connect:CreateSecurityProfile": "Security profiles are Connect's own permissions; a new profile "
        "can carry any admin-website permission.",
        "connect:UpdateSecurityProfile": "Adding permissions to a profile an agent already has escalates "
        "the agent to administrator in the Connect admin website.",
        "connect:DeleteSecurityProfile": "Removing a profile strips administrators or agents of access.",
        "connect:UpdateUserSecurityProfiles": "Assigning the Admin security profile to any user (oneself "
        "included) escalates them to instance administrator.",
        "connect:AssociateSecurityProfiles": "Gives an AI agent the permissions of security profiles.",
        "connect:CreateUser": "Creates a Connect user with any security profile (Admin included) and, "
        "for Connect-managed identity, a password of the caller's choosing.",
        "connect:UpdateUserIdentityInfo": "Changes a user's name and email; AWS warns that whoever can call "
        "it can change other users' sign-in credentials by changing their email address.",
        "connect:UpdateUserHierarchy": "Moving a user in the agent hierarchy changes what "
        "hierarchy-based access control lets them and their managers see.",
        "connect:CreateAuthenticationProfile": "Authentication profiles set allowed IP ranges and session "
        "lengths for sign-in to the instance.",
        "connect:UpdateAuthenticationProfile": "Widening an authentication profile's IP ranges or session "
        "lengths weakens sign-in restrictions for every user assigned to it.",
        "connect:TagResource": "Where access is controlled by tags (aws:ResourceTag), retagging a "
        "resource brings it under a principal's own permissions.",
        "connect:UntagResource": "Removing a tag can lift a tag-based Deny or hand a resource to another "
        "tag-based grant.",
    },
    "recordings, transcripts and streaming": {
        "connect:AssociateInstanceStorageConfig": "Points call recordings, chat transcripts, attachments, "
        "reports, live media or contact-record/agent-event streams at a bucket, stream or key of the "
        "caller's choosing, so customer data is delivered to them.",
        "connect:UpdateInstanceStorageConfig": "Redirects where recordings, transcripts and data streams "
        "are written, or the KMS key that encrypts them.",
        "connect:DisassociateInstanceStorageConfig": "Stops recordings, transcripts or data streams being "
        "stored: compliance evidence is lost from then on.",
        "connect:StartContactStreaming": "Streams a chat's messages to an SNS topic the caller names.",
        "connect:AssociateAnalyticsDataSet": "Shares Connect analytics data sets (contact records, "
        "evaluations) with another AWS account.",
        "connect:BatchAssociateAnalyticsDataSet": "Shares Connect analytics data sets with another AWS "
        "account, in bulk.",
        "connect:MonitorContact": "Silent monitoring or barge-in on live calls and chats.",
        "connect:StopContactRecording": "Stops recording a live contact, leaving no record of the rest of "
        "the conversation.",
        "connect:SuspendContactRecording": "Pauses recording of a live contact.",
    },
    "instance configuration": {
        "connect:UpdateInstanceAttribute": "Turns instance features on or off: inbound/outbound calling, "
        "early media, Contact Lens, flow logs, auto-resolve of best voices, enhanced monitoring, "
        "multi-party calls and more.",
        "connect:AssociateSecurityKey": "Adds a flow security key, the public key flows use to encrypt "
        "customer input (card numbers, PINs); input encrypted with a key the caller supplied is readable by "
        "whoever holds its private key.",
        "connect:DisassociateSecurityKey": "Removes a flow-encryption key, breaking flows that encrypt "
        "sensitive input or forcing a key swap.",
        "connect:AssociateApprovedOrigin": "Allows another web origin to embed the agent workspace (CCP) "
        "and drive agents' sessions from its pages.",
        "connect:UpdateContactFlowContent": "Flows decide where every call goes, what is recorded, which "
        "Lambda functions see customer data, and what is read back to callers.",
        "connect:UpdateContactFlowModuleContent": "Flow modules run inside flows; changing one changes "
        "every flow that calls it.",
    },
    "integrations": {
        "connect:AssociateLambdaFunction": "Lets flows invoke a Lambda function, which then receives "
        "contact attributes and customer input.",
        "connect:AssociateLexBot": "Lets flows hand callers to a Lex (V1) bot, which receives what they say.",
        "connect:AssociateBot": "Lets flows hand callers to a Lex bot, which receives what they say.",
        "connect:CreateIntegrationAssociation": "Connects an external application, event integration, "
        "Pinpoint app, Voice ID, Cases or Amazon Q in Connect domain, Cognito user pool or voice connector "
        "to the instance, which then exchanges contact data with it.",
        "connect:AssociateCustomerProfilesDomain": "Links a Customer Profiles domain to the instance; "
        "agents and flows then read and write that domain's customer data.",
        "app-integrations:CreateDataIntegration": "Pulls data from an external source (e.g. Salesforce, "
        "ServiceNow) into Connect through AppFlow.",
        "app-integrations:CreateEventIntegration": "Routes events from an external EventBridge source into "
        "Connect (tasks).",
        "profile:PutIntegration": "Connects a Customer Profiles domain to an external source or Connect "
        "instance, importing or exposing customer records.",
        "profile:CreateEventStream": "Streams every change in a Customer Profiles domain to a Kinesis "
        "stream the caller names.",
    },
    "telephony": {
        "connect:ClaimPhoneNumber": "Claims phone numbers (charged; can be used for outbound fraud).",
        "connect:ImportPhoneNumber": "Brings a phone number from End User Messaging into the instance.",
        "connect:ReleasePhoneNumber": "Releases a number the business's customers call; it may not be "
        "recoverable.",
        "connect:UpdatePhoneNumber": "Moves a phone number to another instance or traffic distribution "
        "group, taking its calls with it.",
        "connect:AssociatePhoneNumberContactFlow": "Sends a number's incoming calls to another flow.",
        "connect:StartOutboundVoiceContact": "Places outbound calls from the business's numbers (toll "
        "fraud, vishing).",
        "connect:CreateTrafficDistributionGroup": "Creates a cross-Region traffic distribution group "
        "(Global Resiliency).",
        "connect:UpdateTrafficDistribution": "Shifts calls and agents between Regions; 0% to the primary "
        "Region takes it out of service.",
        "connect:AssociateTrafficDistributionGroupUser": "Lets a user sign in through a traffic "
        "distribution group in another Region.",
        "connect-campaigns:PutDialRequestBatch": "Queues outbound dial requests for a campaign.",
        "connect-campaigns:PutOutboundRequestBatch": "Queues outbound requests (calls, SMS, email) for a "
        "campaign.",
    },
    "fraud and identity verification": {
        "voiceid:DisassociateFraudster": "Takes a known fraudster off a watchlist, so Voice ID no longer "
        "flags them.",
        "voiceid:DeleteFraudster": "Deletes a known fraudster from Voice ID.",
        "voiceid:UpdateDomain": "Changes a Voice ID domain, including the KMS key its voiceprints are "
        "encrypted with.",
        "voiceid:DeleteDomain": "Deletes a Voice ID domain with all its enrolled speakers and fraudsters.",
        "wisdom:UpdateAIGuardrail": "Weakens the guardrails of the AI agents that answer customers and "
        "assist agents.",
        "wisdom:DeleteAIGuardrail": "Removes a guardrail from the AI agents.",
        "profile:DeleteDomain": "Deletes a Customer Profiles domain with all its customer records.",
        "cases:DeleteDomain": "Deletes a Cases domain with all its cases.",
    },
}

SENSITIVE_ACTIONS: dict[str, str] = {name: why for group in _SENSITIVE.values() for name, why in group.items()}
SENSITIVE_CATEGORIES: dict[str, str] = {name: cat for cat, group in _SENSITIVE.items() for name in group}
_SENSITIVE_LOWER = {k.lower(): v for k, v in SENSITIVE_ACTIONS.items()}


def sensitive_reason(action_full_name: str) -> str | None:
    return _SENSITIVE_LOWER.get(normalise_action_name(action_full_name).lower())


# --- privilege escalation ------------------------------------------------------------------------------
PRIVILEGE_ESCALATION_ACTIONS: dict[str, str] = {
    "iam:PassRole": "Hands a role to a service (Lambda, EC2, Connect's own integrations...), which then "
    "acts with the role's permissions on the caller's behalf.",
    "iam:PutRolePolicy": "Writes any inline policy into a role; AWS's Connect console custom policy grants "
    "it on AWSServiceRoleForAmazonConnect*, which AWS itself warns lets the user configure any resource in "
    "the account to work with the instance.",
    "iam:AttachRolePolicy": "Attaches any managed policy (AdministratorAccess included) to a role.",
    "iam:PutUserPolicy": "Writes any inline policy into a user, oneself included.",
    "iam:AttachUserPolicy": "Attaches any managed policy to a user, oneself included.",
    "iam:PutGroupPolicy": "Writes any inline policy into a group the caller is in.",
    "iam:AttachGroupPolicy": "Attaches any managed policy to a group the caller is in.",
    "iam:AddUserToGroup": "Joins a user (oneself) to a more privileged group.",
    "iam:CreatePolicyVersion": "Rewrites a managed policy (as the new default version) that is attached "
    "to the caller.",
    "iam:SetDefaultPolicyVersion": "Switches a managed policy to an older, more permissive version.",
    "iam:UpdateAssumeRolePolicy": "Edits a role's trust policy so the caller can assume it.",
    "iam:CreateAccessKey": "Creates access keys for another user and acts as that user.",
    "iam:CreateLoginProfile": "Gives another user a console password of the caller's choosing.",
    "iam:UpdateLoginProfile": "Resets another user's console password.",
    "iam:CreateServiceSpecificCredential": "Creates service credentials (CodeCommit, Keyspaces) for "
    "another user.",
    "iam:ResetServiceSpecificCredential": "Resets another user's service credentials to obtain them.",
    "iam:UpdateAccessKey": "Re-activates a disabled access key.",
    "iam:DeleteRolePermissionsBoundary": "Lifts the permissions boundary that caps a role.",
    "iam:DeleteUserPermissionsBoundary": "Lifts the permissions boundary that caps a user.",
    "iam:PutRolePermissionsBoundary": "Replaces a role's permissions boundary with a wider one.",
    "iam:PutUserPermissionsBoundary": "Replaces a user's permissions boundary with a wider one.",
    "sts:AssumeRole": "Becomes any role whose trust policy admits the caller; its scope is only as narrow "
    "as the roles named in Resource.",
    "lambda:CreateFunction": "With iam:PassRole, runs code of the caller's choosing as any passable role.",
    "lambda:UpdateFunctionCode": "Replaces the code of a function, which runs with the function's role; "
    "Connect flows invoke such functions with customer data.",
    "lambda:UpdateFunctionConfiguration": "Adds layers or environment to a function, changing the code "
    "that runs with its role.",
    "ec2:RunInstances": "With iam:PassRole, starts an instance with any passable instance profile.",
    "cloudformation:CreateStack": "With iam:PassRole, creates any resource as the stack's service role.",
    "glue:CreateDevEndpoint": "With iam:PassRole, opens a development endpoint running as the passed role.",
    "glue:UpdateDevEndpoint": "Adds the caller's SSH key to an existing development endpoint and its role.",
    "ssm:SendCommand": "Runs commands on managed instances, as their instance profiles.",
    "ssm:StartSession": "Opens a shell on managed instances, with their instance profiles.",
    "kms:PutKeyPolicy": "Rewrites a key policy, e.g. of the key that encrypts call recordings and "
    "transcripts, to let the caller decrypt.",
    "kms:CreateGrant": "Grants a principal (oneself) use of a key, e.g. the key that encrypts Connect "
    "recordings and transcripts; the Connect console needs it, so scope it with kms:ViaService or "
    "kms:GrantIsForAWSResource.",
}
_ESCALATION_LOWER = {k.lower(): v for k, v in PRIVILEGE_ESCALATION_ACTIONS.items()}


def escalation_reason(action_full_name: str) -> str | None:
    return _ESCALATION_LOWER.get(normalise_action_name(action_full_name).lower())


# --- service families ------------------------------------------------------------------------------------
# The IAM prefixes of Amazon Connect itself. Amazon Q in Connect's API is named "qconnect" but its IAM
# prefix is "wisdom"; there is no "qconnect" prefix in the catalog. "health-agent" is Amazon Connect Health.
CONNECT_FAMILY: tuple[str, ...] = (
    "connect",
    "profile",
    "app-integrations",
    "cases",
    "voiceid",
    "wisdom",
    "connect-campaigns",
    "health-agent",
)

# Other services the Amazon Connect console pages need (console-permissions page and the
# dependent actions of Connect's actions): directory, storage, streaming, keys, bots, functions.
CONSOLE_SUPPORT_SERVICES: tuple[str, ...] = (
    "appflow",
    "ds",
    "events",
    "firehose",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "lex",
    "logs",
    "s3",
    "servicequotas",
    "sqs",
)
