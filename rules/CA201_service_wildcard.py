"""CA201: an Allow that grants every action of a service (`connect:*`) or of every service (`*`)."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Action, Catalog
from auditor.policy.actions import resolve_action
from auditor.policy.grants import WRITE_LEVELS, is_literal_star, is_service_wildcard
from auditor.policy.model import Path, Policy, Statement
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

_CONNECT_MANAGED = (
    "or, when full or read-only Amazon Connect access is the intent, attach the AWS managed policy "
    "AmazonConnect_FullAccess or AmazonConnectReadOnlyAccess instead"
)


class ServiceWildcard(Rule):
    """Reports an Allow statement whose Action grants every action of a service or of AWS.

    ## What it does
    Reports each Action entry of an Allow statement that names every action of one or more
    services: `connect:*`, `profile:*`, `*:*` or `*`. The message says how many actions that is
    in the catalog and how many of them are Write or Permissions management actions. `Action: "*"`
    on `Resource: "*"` with no Condition is full administrator access and is an error; every other
    service wildcard is a warning. A Deny with a wildcard is a guardrail and is never reported, and
    `NotAction` is CA204's. Only identity policies are checked: in a permissions boundary, an SCP
    or a session policy an Allow of `*` grants nothing, it only lets grants through.

    ## Why it matters
    `connect:*` grants the 360-odd Amazon Connect actions, including deleting the instance,
    emergency admin sign-in and redirecting call recordings, and every action AWS adds to the
    service later, without anyone reviewing them.

    ## Example
    ```json
    { "Effect": "Allow", "Action": "connect:*",
      "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1/*" }
    ```

    ## Fix
    List the actions the role needs (`connect:DescribeUser`, `connect:UpdateUserRoutingProfile`,
    ...). When full or read-only Connect access really is the intent, attach the AWS managed policy
    `AmazonConnect_FullAccess` or `AmazonConnectReadOnlyAccess`, which AWS keeps up to date and which
    reviewers recognise.
    """

    id = "CA201"
    name = "service-wildcard"
    short_description = "An Allow grants every action of a service or of every service"
    level = "warning"
    kinds = ("identity",)

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            if not st.is_allow:
                continue
            for value, path in st.actions:
                if not is_service_wildcard(value):
                    continue
                resolved = resolve_action(value, path, catalog)
                if not resolved.service_known or not resolved.actions:
                    continue  # an unknown service is CA101's, a wildcard matching nothing CA103's
                yield self._finding(policy, st, value.strip(), path, resolved.actions)

    def _finding(self, policy: Policy, st: Statement, text: str, path: Path, actions: list[Action]) -> Finding:
        writes = sum(1 for a in actions if a.access_level in WRITE_LEVELS)
        services = sorted({a.service for a in actions})
        counts = f"{writes:,} of them Write or Permissions management, and any that AWS adds later"
        if set(text.partition(":")[0]) == {"*"}:
            every = f"all {len(actions):,} actions of every AWS service, {counts}"
            if any(is_literal_star(v) for v, _ in st.resources) and not st.has_condition:
                return self.finding(
                    policy, path,
                    f"'{text}' on Resource '*' with no Condition is full administrator access: {every}.",
                    suggestion="List the services and actions the role needs; for Amazon Connect "
                    "administration, attach the AWS managed policy AmazonConnect_FullAccess instead.",
                    level="error",
                )
            return self.finding(policy, path, f"'{text}' grants {every}.",
                                suggestion=f"List the services and actions the role needs instead of '{text}'.")
        if len(services) == 1:
            what = f"all {len(actions):,} {services[0]} actions"
        else:
            what = f"all {len(actions):,} actions of the {summarise(services)} services"
        suggestion = f"List the actions the role needs instead of '{text}'"
        if "connect" in services:
            suggestion += f" (e.g. connect:Describe* and connect:List* for read-only), {_CONNECT_MANAGED}"
        return self.finding(
            policy, path,
            f"'{text}' grants {what}, {counts}.",
            suggestion=suggestion + ".",
        )
