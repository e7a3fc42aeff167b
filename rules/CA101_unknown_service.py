"""CA101: an action whose service prefix is no AWS service."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.connect.knowledge import retired
from auditor.policy.actions import has_wildcard, matching_prefixes, written_actions
from auditor.policy.model import Path, Policy
from auditor.policy.staleness import catalog_age
from auditor.policy.suggest import SERVICE_ALIASES, family_first, suggest_service
from auditor.rule import Finding, Rule


class UnknownService(Rule):
    """Reports an action whose service prefix (the part before the colon) is no AWS service.

    ## What it does
    Checks the service prefix of every entry of `Action` and `NotAction` against the catalog
    and suggests the prefix meant: the closest spelling (`app-integartions` ->
    `app-integrations`, `connect-campaign` -> `connect-campaigns`), or the IAM prefix of a
    Connect service written under its product or API name (`customer-profiles` -> `profile`,
    `amazon-connect` -> `connect`, `appintegrations` -> `app-integrations`, `qconnect` ->
    `wisdom`). An action written without any prefix, and a wildcard prefix (`conect*:Get*`)
    that matches no service, are reported too. Values a template could not resolve are skipped.

    A prefix that resembles no service may belong to a service newer than the catalog: when
    the catalog is older than `stale_after_days` (option, default 90) such a finding is a
    warning that says so, unless the suggested service does have the action.

    ## Why it matters
    An action of a service that does not exist matches no request: the agents or
    integrations the statement was written for get `AccessDenied`, and in a `Deny` statement
    the guardrail silently does not apply. IAM Access Analyzer's policy validation reports it
    as an error, but nothing stops Terraform or CloudFormation from deploying it. AWS's own
    Amazon Connect examples carry `app-integartions:DeleteEventIntegration`.

    ## Example
    ```json
    { "Effect": "Allow",
      "Action": ["app-integrations:GetEventIntegration", "app-integartions:DeleteEventIntegration"],
      "Resource": "arn:aws:app-integrations:*:*:event-integration/MyNamePrefix-*" }
    ```

    ## Fix
    Correct the prefix (`app-integrations:DeleteEventIntegration`). `connect-audit catalog
    PREFIX` lists a service's actions.
    """

    id = "CA101"
    name = "unknown-service"
    short_description = "An action names a service prefix that does not exist"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            for _element, value, path in written_actions(st):
                finding = self._check_one(policy, path, value, catalog)
                if finding is not None:
                    yield finding

    def _check_one(self, policy: Policy, path: Path, value: str, catalog: Catalog) -> Finding | None:
        text = value.strip()
        if not text or text == "*":
            return None  # empty values are a structural fault (CA002)
        prefix, sep, name = (s.strip() for s in text.partition(":"))
        if not sep:
            return self._no_prefix(policy, path, value, catalog)
        if has_wildcard(prefix):
            if matching_prefixes(prefix, catalog):
                return None
            head = prefix.rstrip("*?")
            svc = suggest_service(head, catalog) if head and not has_wildcard(head) else None
            fix = f"{svc}{prefix[len(head):]}:{name}" if svc else None
            return self.finding(policy, path, f"The service prefix `{prefix}` of `{text}` matches no AWS service.",
                                suggestion=f"use `{fix}`" if fix else None)
        if catalog.has_service(prefix):
            return None
        fix, certain = self._fixed_name(prefix, name, catalog)
        alias = SERVICE_ALIASES.get(prefix.lower())
        suggestion = f"use `{fix}`" if fix else None
        if fix and alias and fix.startswith(alias + ":"):
            return self.finding(policy, path, f"`{prefix}` is not an IAM service prefix (in `{text}`); "
                                f"the IAM prefix of that service is `{alias}`.", suggestion=suggestion)
        age = catalog_age(catalog, prefix, self.options)
        if not certain and age.stale:
            # A service newer than the catalog looks exactly like this: do not cry wolf.
            hint = age.refresh
            return self.finding(
                policy, path,
                f"`{prefix}` (in `{text}`) is no service in {age.too_old}, so it may be a newer service; "
                f"`{hint}` refreshes the catalog.",
                suggestion=(f"{suggestion}; if `{prefix}` is a new service, run `{hint}`" if suggestion
                            else f"run `{hint}`; if `{prefix}` is still unknown, check the service's IAM prefix"),
                level="warning",
            )
        return self.finding(policy, path, f"`{prefix}` is not an AWS service prefix (in `{text}`).",
                            suggestion=suggestion)

    def _fixed_name(self, prefix: str, name: str, catalog: Catalog) -> tuple[str | None, bool]:
        """The action the value most likely means, spelled as the catalog spells it, and whether
        that is certain (documented, or an action the suggested service has)."""
        entry = retired(f"{prefix}:{name}")
        if entry is not None and entry.replacement:
            return entry.replacement, True
        plain = not has_wildcard(name)
        svc = suggest_service(prefix, catalog, name if plain else None)
        if svc is None:
            return None, False
        if plain:
            act = catalog.action(f"{svc}:{name}")
            return (act.full_name, True) if act else (f"{svc}:{name}", False)
        return f"{svc}:{name}", bool(catalog.expand(f"{svc}:{name}").actions)

    def _no_prefix(self, policy: Policy, path: Path, value: str, catalog: Catalog) -> Finding:
        text = value.strip()
        if catalog.has_service(text):
            return self.finding(
                policy, path, f"`{text}` is a service prefix, not an action; IAM actions are written `service:Action`.",
                suggestion=f"name each action (`{text.lower()}:ActionName`), or `{text.lower()}:*` for all of them",
            )
        owners = family_first(catalog.services_with_action(text)) if not has_wildcard(text) else []
        suggestion = None
        if owners:
            act = catalog.action(f"{owners[0]}:{text}")
            suggestion = f"use `{act.full_name if act else owners[0] + ':' + text}`"
        return self.finding(
            policy, path,
            f"`{text}` has no service prefix; IAM actions are written `service:Action`.",
            suggestion=suggestion,
        )
