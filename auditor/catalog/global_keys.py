"""The global `aws:` condition keys, which every action supports (AWS IAM User Guide,
"AWS global condition context keys"). Policy Sentry's database lists only the tag keys per
service, so the rest live here. Keys ending in `/` take a tag or attribute name after it.
"""

from __future__ import annotations

# key -> type (the IAM condition types: String, ARN, Bool, Date, IPAddress, Numeric,
# ArrayOfString, ArrayOfARN)
GLOBAL_CONDITION_KEYS: dict[str, str] = {
    "aws:CalledVia": "ArrayOfString",
    "aws:CalledViaFirst": "String",
    "aws:CalledViaLast": "String",
    "aws:CurrentTime": "Date",
    "aws:EpochTime": "Date",
    "aws:FederatedProvider": "String",
    "aws:MultiFactorAuthAge": "Numeric",
    "aws:MultiFactorAuthPresent": "Bool",
    "aws:PrincipalAccount": "String",
    "aws:PrincipalArn": "ARN",
    "aws:PrincipalIsAWSService": "Bool",
    "aws:PrincipalOrgID": "String",
    "aws:PrincipalOrgPaths": "ArrayOfString",
    "aws:PrincipalServiceName": "String",
    "aws:PrincipalServiceNamesList": "ArrayOfString",
    "aws:PrincipalTag/": "String",
    "aws:PrincipalType": "String",
    "aws:referer": "String",
    "aws:Referer": "String",
    "aws:RequestedRegion": "String",
    "aws:RequestTag/": "String",
    "aws:ResourceAccount": "String",
    "aws:ResourceOrgID": "String",
    "aws:ResourceOrgPaths": "ArrayOfString",
    "aws:ResourceTag/": "String",
    "aws:SecureTransport": "Bool",
    "aws:SourceAccount": "String",
    "aws:SourceArn": "ARN",
    "aws:SourceIdentity": "String",
    "aws:SourceIp": "IPAddress",
    "aws:SourceOrgID": "String",
    "aws:SourceOrgPaths": "ArrayOfString",
    "aws:SourceVpc": "String",
    "aws:SourceVpce": "String",
    "aws:SourceVpcArn": "ARN",
    "aws:TagKeys": "ArrayOfString",
    "aws:TokenIssueTime": "Date",
    "aws:UserAgent": "String",
    "aws:userid": "String",
    "aws:username": "String",
    "aws:ViaAWSService": "Bool",
    "aws:VpcSourceIp": "IPAddress",
    "aws:Ec2InstanceSourceVpc": "String",
    "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
    "aws:SourceAccountId": "String",
    "aws:IsMcpServiceAction": "Bool",
    "aws:ViaAWSMCPService": "Bool",
    "aws:CalledViaAWSMCP": "String",
    # Added by AWS after the list above was written (IAM User Guide, global condition keys).
    "aws:AssumedRoot": "Bool",
    "aws:ChatbotSourceArn": "ARN",
    "aws:VpceAccount": "String",
    "aws:VpceOrgID": "String",
    "aws:VpceOrgPaths": "ArrayOfString",
}

# Keys that identity policies can use in any statement regardless of the action
# (the tag keys are only meaningful for actions that list them, and are checked per action).
ACTION_SCOPED_GLOBAL_PREFIXES = ("aws:RequestTag/", "aws:ResourceTag/", "aws:TagKeys")


def global_key_type(key: str) -> str | None:
    """The type of a global key (case-insensitive, as IAM treats key names), or None."""
    low = key.lower()
    for name, typ in GLOBAL_CONDITION_KEYS.items():
        n = name.lower()
        if n.endswith("/") and low.startswith(n) and len(low) > len(n):
            return typ
        if low == n:
            return typ
    return None
