"""CA108: an allowed action whose dependent actions the same policy does not allow."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from auditor.catalog import Action, Catalog
from auditor.policy.actions import ResolvedAction, allowed_name_test, is_literal_star, resolve_action
from auditor.policy.model import Policy, Statement
from auditor.policy.resources import resource_entries, statement_can_grant
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule

# Up to this many missing actions are named in the message itself; the suggestion names all.
LIST_IN_MESSAGE = 12


class MissingDependentActions(Rule):
    """Reports allowed actions whose dependent actions the same policy does not allow.

    ## What it does
    The Service Authorization Reference lists, for some actions, other actions the caller
    must also be allowed for the call to succeed: `connect:CreateInstance` needs `ds:` directory
    actions and `iam:` role actions, `connect:AdminGetEmergencyAccessToken` needs
    `connect:DescribeInstance`, `connect:ListInstances` and `ds:DescribeDirectories`. For each
    action an Allow statement names, this rule checks that some Allow statement of the same
    policy names each dependent action too, exactly or by a wildcard (`ds:*`, `*`) or by leaving
    it out of a NotAction. Only the actions the statement's resources let it grant count
    (`connect:*` on `.../contact/*` grants contact actions only). A wildcard entry (`connect:*`, `ds:*`) gets one finding that sums up
    what its actions are missing, as a note: the policy does not say which of its actions are
    used. An action that is itself a dependent of another allowed action is not checked for
    its own dependents (`ds:CreateDirectory`, granted for `connect:CreateInstance`, is not asked
    for the `ec2:` actions the catalog lists for it). Resources and conditions of the dependent
    grants are not compared.

    Some dependents are needed only by some calls, and the catalog does not say which. They are
    named with the circumstance, and a finding whose missing dependents are all of them is a
    note (with any other missing dependent it stays a warning):

    - `kms:` actions: only when the resource is encrypted with a customer managed KMS key; an AWS
      owned or AWS managed key needs no KMS permission of the caller;
    - tagging actions (access level Tagging in the catalog: `ec2:CreateTags`, `*:TagResource`,
      `*:UntagResource`, `rds:AddTagsToResource`...): only when the request tags what it creates;
    - `iam:PassRole` and the other pass permissions (`lambda:PassCapacityProvider`,
      `glue:PassConnection`...): only when the request passes such a resource (an execution
      role, a task role, an instance profile, a connection). The catalog does not say which
      actions always pass one, so this is a note even for `lambda:CreateFunction`, which always
      passes a role;
    - the other services' actions that `servicequotas:` actions list (`dynamodb:DescribeLimits`
      ...): each only for a quota of its own service.

    Every other dependent stays a warning, among them `connect:CreateInstance`'s `ds:` and `iam:`
    actions, `iam:CreateServiceLinkedRole` included (Amazon Connect creates a service-linked role
    for each instance).

    Applies to identity policies, permission boundaries, SCPs and session policies (each of them
    must let the dependent actions through); not to resource-based policies, whose dependent
    calls are authorised on other resources, nor to trust policies. Unresolved template values
    count as allowing anything, so they never cause a finding.

    ## Why it matters
    The policy looks complete and the console or API call still fails with AccessDenied on an
    action nobody wrote down (`ds:CheckAlias` while creating an instance), typically only when
    someone first tries it in production, or an emergency sign-in fails when it is needed most.

    ## Example
    ```json
    {"Effect": "Allow", "Action": "connect:AdminGetEmergencyAccessToken",
     "Resource": "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"}
    ```

    ## Fix
    Allow the dependent actions the finding lists, in the same policy (scoped to the
    resources they need), or deliberately leave them out where another policy of the
    principal grants them (suppress the finding there).
    """

    id = "CA108"
    name = "missing-dependent-actions"
    short_description = "An allowed action needs other actions that the same policy does not allow"
    level = "warning"
    kinds = ("identity", "boundary", "scp", "session")

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        statements = list(policy.statements())
        allowed: dict[str, bool] = {}
        allows = allowed_name_test(statements)

        def is_allowed(name: str) -> bool:
            low = name.lower()
            if low not in allowed:
                allowed[low] = allows(name)
            return allowed[low]

        # (statement, entry, the entry's actions the statement's resources let it grant)
        entries: list[tuple[Statement, ResolvedAction, list[Action]]] = []
        for st in statements:
            if not st.is_allow or "Action" not in st.data:
                continue
            resources = resource_entries(st, catalog)
            for value, path in st.actions:
                if is_literal_star(value):
                    continue  # allows every dependent too (and expanding it reads every service)
                entry = resolve_action(value, path, catalog)
                if entry.unresolved or not entry.actions:
                    continue
                # `connect:*` on `.../contact/*` grants contact actions only; an action its
                # resources do not fit is CA105's finding, not a grant with dependents.
                granted = [a for a in entry.actions if statement_can_grant(st, a, catalog, resources)]
                if granted:
                    entries.append((st, entry, granted))
        # An action granted because another one needs it is there to serve that one: its own
        # dependents are the catalog's transitive claims (ds:CreateDirectory -> ec2:...), not asked.
        serving = {d.lower() for _, _, granted in entries for a in granted for d in a.dependent_actions}
        for st, entry, granted in entries:
            missing: dict[str, list[str]] = {}  # dependent -> the actions that need it
            for action in granted:
                if action.full_name.lower() in serving:
                    continue
                for dep in action.dependent_actions:
                    if not is_allowed(dep):
                        missing.setdefault(dep, []).append(action.full_name)
            if missing:
                yield self._finding(policy, st, entry, missing, catalog)

    def _finding(self, policy: Policy, st: Statement, entry: ResolvedAction,
                 missing: dict[str, list[str]], catalog: Catalog) -> Finding:
        deps = sorted(missing, key=str.lower)
        if not entry.is_wildcard:
            return self._named(policy, entry, deps, catalog)
        suggestion = "also allow " + ", ".join(deps) + " (scoped to the resources they need)"
        needing = sorted({a for actions in missing.values() for a in actions}, key=str.lower)
        name = str(entry.value).strip()
        if len(deps) <= LIST_IN_MESSAGE:
            what = _list(deps)
        else:
            per_service = Counter(d.partition(":")[0] for d in deps)
            what = f"{len(deps)} actions (" + ", ".join(f"{s}: {n}" for s, n in per_service.most_common()) + ")"
        by = summarise(needing, 3)
        message = (f"{name} matches actions that also need {what}, which this policy does not allow "
                   f"(needed by {by}).")
        # The policy does not say which of a wildcard's actions are used: hygiene, not a risk.
        return self.finding(policy, entry.path, message, suggestion=suggestion, level="note")

    def _named(self, policy: Policy, entry: ResolvedAction, deps: list[str], catalog: Catalog) -> Finding:
        """One named action's missing dependents, the conditional ones with their circumstance."""
        action = entry.actions[0]
        always = [d for d in deps if conditional(action, d, catalog) is None]
        sometimes: dict[str, list[str]] = {}  # circumstance -> dependents, in the order of `deps`
        for d in deps:
            when = conditional(action, d, catalog)
            if when is not None:
                sometimes.setdefault(when, []).append(d)
        clauses = []
        if always:
            clauses.append(f"also needs {_list(always)}")
        if sometimes:
            listed = summarise([f"{summarise(ds, None, last=', ')} ({when})" for when, ds in sometimes.items()], None)
            clauses.append(f"{'may need' if always else 'may also need'} {listed}")
        message = f"{action.full_name} {', and '.join(clauses)}, which this policy does not allow."
        maybe = [d for ds in sometimes.values() for d in ds]
        if always:
            suggestion = "also allow " + ", ".join(always) + " (scoped to the resources they need)"
            if maybe:
                suggestion += "; and " + ", ".join(maybe) + " if the calls need them"
        else:
            suggestion = "if the calls need them, also allow " + ", ".join(maybe) + " (scoped to the resources they need)"
        # Only conditional dependents missing: the calls may well work as they are.
        return self.finding(policy, entry.path, message, suggestion=suggestion, level=None if always else "note")


def conditional(action: Action, dependent: str, catalog: Catalog) -> str | None:
    """When `action` needs `dependent` only in some circumstances (see the rule's docstring),
    those circumstances; None when it needs it every time (as far as the catalog says)."""
    prefix = dependent.partition(":")[0].lower()
    if prefix == "kms":
        return "with a customer managed KMS key"
    name = dependent.partition(":")[2]
    if name.startswith("Pass") and name[4:5].isupper():
        # IAM checks a pass permission only when the request hands that resource to the service.
        return f"when the request passes a {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', name[4:]).lower()}"
    if action.service.lower() == "servicequotas" and prefix != "servicequotas":
        return "each for a quota of its own service"
    dep = catalog.action(dependent)
    if dep is not None and dep.access_level == "Tagging":
        return "when the request tags what it creates"
    return None


def _list(names: list[str]) -> str:
    return summarise(names, None)
