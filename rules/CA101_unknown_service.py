"""CA101: an action whose service prefix is no AWS service."""

from __future__ import annotations

import re
from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.model import Policy
from auditor.policy.suggest import SERVICE_ALIASES, family_first, suggest_service
from auditor.policy.values import glob_regex, has_holes
from auditor.rule import Finding, Rule

_GLOB = re.compile(r"[*?]")


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

    ## Why it matters
    IAM refuses a policy whose action names no service it knows, and an `Action` element
    that Terraform or CloudFormation does deploy with such a typo grants nothing: the agents
    or integrations the statement was written for get `AccessDenied`, and in a `Deny` statement
    the guardrail silently does not apply. AWS's own Amazon Connect examples carry
    `app-integartions:DeleteEventIntegration`.

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
            for element in ("Action", "NotAction"):
                for value, path in st.strings(element):
                    if has_holes(value):
                        continue
                    finding = self._check_one(policy, path, value, catalog)
                    if finding is not None:
                        yield finding

    def _check_one(self, policy: Policy, path: tuple, value: str, catalog: Catalog) -> Finding | None:
        text = value.strip()
        if not text or text == "*":
            return None  # empty values are a structural fault (CA002)
        prefix, sep, name = (s.strip() for s in text.partition(":"))
        if not sep:
            return self._no_prefix(policy, path, value, catalog)
        if _GLOB.search(prefix):
            rx = glob_regex(prefix, case_insensitive=True)
            if any(rx.fullmatch(p) for p in catalog.service_prefixes()):
                return None
            head = prefix.rstrip("*?")
            svc = suggest_service(head, catalog) if head and not _GLOB.search(head) else None
            fix = f"{svc}{prefix[len(head):]}:{name}" if svc else None
            return self.finding(policy, path, f"The service prefix `{prefix}` of `{text}` matches no AWS service.",
                                suggestion=f"use `{fix}`" if fix else None)
        if catalog.has_service(prefix):
            return None
        fix = self._fixed_name(prefix, name, catalog)
        alias = SERVICE_ALIASES.get(prefix.lower())
        if fix and alias and fix.startswith(alias + ":"):
            message = (f"`{prefix}` is not an IAM service prefix (in `{text}`); "
                       f"the IAM prefix of that service is `{alias}`.")
        else:
            message = f"`{prefix}` is not an AWS service prefix (in `{text}`)."
        return self.finding(policy, path, message, suggestion=f"use `{fix}`" if fix else None)

    def _fixed_name(self, prefix: str, name: str, catalog: Catalog) -> str | None:
        """The action the value most likely means, spelled as the catalog spells it."""
        try:
            from auditor.connect.knowledge import retired

            entry = retired(f"{prefix}:{name}")
            if entry is not None and entry.replacement:
                return entry.replacement
        except ImportError:
            pass
        plain = not _GLOB.search(name)
        svc = suggest_service(prefix, catalog, name if plain else None)
        if svc is None:
            return None
        act = catalog.action(f"{svc}:{name}") if plain else None
        return act.full_name if act else f"{svc}:{name}"

    def _no_prefix(self, policy: Policy, path: tuple, value: str, catalog: Catalog) -> Finding:
        text = value.strip()
        if catalog.has_service(text):
            return self.finding(
                policy, path, f"`{text}` is a service prefix, not an action; IAM actions are written `service:Action`.",
                suggestion=f"name each action (`{text.lower()}:ActionName`), or `{text.lower()}:*` for all of them",
            )
        owners = family_first(catalog.services_with_action(text)) if not _GLOB.search(text) else []
        suggestion = None
        if owners:
            act = catalog.action(f"{owners[0]}:{text}")
            suggestion = f"use `{act.full_name if act else owners[0] + ':' + text}`"
        return self.finding(
            policy, path,
            f"`{text}` has no service prefix; IAM actions are written `service:Action`.",
            suggestion=suggestion,
        )
