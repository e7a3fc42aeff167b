"""What an unresolved reference to a resource's ARN is known to look like.

Templates name ARNs they cannot know before deployment (`aws_connect_queue.q.arn`,
`!GetAtt Queue.QueueArn`). The loaders turn such a reference into a `Hole` whose pattern is
the glob below, so `${aws_connect_instance.main.arn}/user/*` stays checkable (CA105) although
the instance id is unknown. Keys are (Terraform type, attribute) and (CloudFormation type,
attribute or "Ref"); a data source shares its resource's entry (`data.aws_connect_queue.q.arn`).

Patterns follow the ARN formats of the Service Authorization Reference with every variable
(partition, region, account, ids) as `*`.
"""

from __future__ import annotations


def _connect(resource: str) -> str:
    return "arn:*:connect:*:*:" + resource


# Connect resource kind -> ARN glob.
CONNECT_KINDS: dict[str, str] = {
    "instance": _connect("instance/*"),
    "queue": _connect("instance/*/queue/*"),
    "contact-flow": _connect("instance/*/contact-flow/*"),
    "contact-flow-module": _connect("instance/*/flow-module/*"),
    "hours-of-operation": _connect("instance/*/operating-hours/*"),
    "routing-profile": _connect("instance/*/routing-profile/*"),
    "security-profile": _connect("instance/*/security-profile/*"),
    "user": _connect("instance/*/agent/*"),
    "hierarchy-group": _connect("instance/*/agent-group/*"),
    "quick-connect": _connect("instance/*/transfer-destination/*"),
    "phone-number": _connect("phone-number/*"),
    "vocabulary": _connect("instance/*/vocabulary/*"),
    "prompt": _connect("instance/*/prompt/*"),
    "task-template": _connect("instance/*/task-template/*"),
    "rule": _connect("instance/*/rule/*"),
    "evaluation-form": _connect("instance/*/evaluation-form/*"),
    "traffic-distribution-group": _connect("traffic-distribution-group/*"),
    "view": _connect("instance/*/view/*"),
    "agent-status": _connect("instance/*/agent-state/*"),
    "integration-association": _connect("instance/*/integration-association/*"),
    "use-case": _connect("instance/*/use-case/*"),
    "email-address": _connect("instance/*/email-address/*"),
}

# (Terraform type, attribute, CloudFormation type, CloudFormation attribute, kind)
_CONNECT_TYPES: tuple[tuple[str, str, str, str, str], ...] = (
    ("aws_connect_instance", "arn", "AWS::Connect::Instance", "Arn", "instance"),
    ("aws_connect_queue", "arn", "AWS::Connect::Queue", "QueueArn", "queue"),
    ("aws_connect_contact_flow", "arn", "AWS::Connect::ContactFlow", "ContactFlowArn", "contact-flow"),
    ("aws_connect_contact_flow_module", "arn", "AWS::Connect::ContactFlowModule", "ContactFlowModuleArn",
     "contact-flow-module"),
    ("aws_connect_hours_of_operation", "arn", "AWS::Connect::HoursOfOperation", "HoursOfOperationArn",
     "hours-of-operation"),
    ("aws_connect_routing_profile", "arn", "AWS::Connect::RoutingProfile", "RoutingProfileArn", "routing-profile"),
    ("aws_connect_security_profile", "arn", "AWS::Connect::SecurityProfile", "SecurityProfileArn",
     "security-profile"),
    ("aws_connect_user", "arn", "AWS::Connect::User", "UserArn", "user"),
    ("aws_connect_user_hierarchy_group", "arn", "AWS::Connect::UserHierarchyGroup", "UserHierarchyGroupArn",
     "hierarchy-group"),
    ("aws_connect_quick_connect", "arn", "AWS::Connect::QuickConnect", "QuickConnectArn", "quick-connect"),
    ("aws_connect_phone_number", "arn", "AWS::Connect::PhoneNumber", "PhoneNumberArn", "phone-number"),
    ("aws_connect_vocabulary", "arn", "AWS::Connect::Vocabulary", "VocabularyArn", "vocabulary"),
    ("aws_connect_prompt", "arn", "AWS::Connect::Prompt", "PromptArn", "prompt"),
    ("aws_connect_task_template", "arn", "AWS::Connect::TaskTemplate", "Arn", "task-template"),
    ("aws_connect_rule", "arn", "AWS::Connect::Rule", "RuleArn", "rule"),
    ("aws_connect_evaluation_form", "arn", "AWS::Connect::EvaluationForm", "EvaluationFormArn", "evaluation-form"),
    ("aws_connect_traffic_distribution_group", "arn", "AWS::Connect::TrafficDistributionGroup",
     "TrafficDistributionGroupArn", "traffic-distribution-group"),
    ("aws_connect_view", "arn", "AWS::Connect::View", "ViewArn", "view"),
    ("aws_connect_agent_status", "arn", "AWS::Connect::AgentStatus", "AgentStatusArn", "agent-status"),
    ("aws_connect_integration_association", "arn", "AWS::Connect::IntegrationAssociation",
     "IntegrationAssociationArn", "integration-association"),
    ("aws_connect_email_address", "arn", "AWS::Connect::EmailAddress", "EmailAddressArn", "email-address"),
)

# Resources a contact centre's policies commonly name besides Connect's own.
_OTHER_TYPES: tuple[tuple[str, str, str, str, str], ...] = (
    ("aws_lambda_function", "arn", "AWS::Lambda::Function", "Arn", "arn:*:lambda:*:*:function:*"),
    ("aws_lambda_alias", "arn", "AWS::Lambda::Alias", "Ref", "arn:*:lambda:*:*:function:*"),
    ("aws_s3_bucket", "arn", "AWS::S3::Bucket", "Arn", "arn:*:s3:::*"),
    ("aws_kms_key", "arn", "AWS::KMS::Key", "Arn", "arn:*:kms:*:*:key/*"),
    ("aws_kms_alias", "arn", "AWS::KMS::Alias", "Arn", "arn:*:kms:*:*:alias/*"),
    ("aws_kinesis_stream", "arn", "AWS::Kinesis::Stream", "Arn", "arn:*:kinesis:*:*:stream/*"),
    ("aws_kinesis_firehose_delivery_stream", "arn", "AWS::KinesisFirehose::DeliveryStream", "Arn",
     "arn:*:firehose:*:*:deliverystream/*"),
    ("aws_dynamodb_table", "arn", "AWS::DynamoDB::Table", "Arn", "arn:*:dynamodb:*:*:table/*"),
    ("aws_sqs_queue", "arn", "AWS::SQS::Queue", "Arn", "arn:*:sqs:*:*:*"),
    ("aws_sns_topic", "arn", "AWS::SNS::Topic", "TopicArn", "arn:*:sns:*:*:*"),
    ("aws_cloudwatch_log_group", "arn", "AWS::Logs::LogGroup", "Arn", "arn:*:logs:*:*:log-group:*"),
    ("aws_secretsmanager_secret", "arn", "AWS::SecretsManager::Secret", "Id", "arn:*:secretsmanager:*:*:secret:*"),
    ("aws_lexv2models_bot", "arn", "AWS::Lex::Bot", "Arn", "arn:*:lex:*:*:bot/*"),
    ("aws_lexv2models_bot_alias", "arn", "AWS::Lex::BotAlias", "Arn", "arn:*:lex:*:*:bot-alias/*"),
    ("aws_iam_role", "arn", "AWS::IAM::Role", "Arn", "arn:*:iam::*:role/*"),
    ("aws_iam_user", "arn", "AWS::IAM::User", "Arn", "arn:*:iam::*:user/*"),
    ("aws_iam_group", "arn", "AWS::IAM::Group", "Arn", "arn:*:iam::*:group/*"),
    ("aws_iam_policy", "arn", "AWS::IAM::ManagedPolicy", "PolicyArn", "arn:*:iam::*:policy/*"),
)


def _build() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for tf_type, tf_attr, cfn_type, cfn_attr, kind in _CONNECT_TYPES:
        pattern = CONNECT_KINDS[kind]
        table[(tf_type, tf_attr)] = pattern
        table[(cfn_type, cfn_attr)] = pattern
        # CloudFormation's Connect resources return their ARN from Ref as well.
        table[(cfn_type, "Ref")] = pattern
    for tf_type, tf_attr, cfn_type, cfn_attr, pattern in _OTHER_TYPES:
        table[(tf_type, tf_attr)] = pattern
        table[(cfn_type, cfn_attr)] = pattern
    # Terraform's IAM policy id is its ARN; a role's or user's is its name.
    table[("aws_iam_policy", "id")] = table[("aws_iam_policy", "arn")]
    table[("AWS::IAM::ManagedPolicy", "Ref")] = table[("aws_iam_policy", "arn")]
    return table


ARN_PATTERNS: dict[tuple[str, str], str] = _build()


def arn_pattern(resource_type: str, attribute: str) -> str | None:
    """The glob an ARN-valued attribute of a resource (or data source) is known to match."""
    return ARN_PATTERNS.get((resource_type, attribute))
