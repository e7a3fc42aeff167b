"""CA204: an Allow with NotAction or NotResource, which grants everything it does not list."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.actions import resolve_action
from auditor.policy.grants import is_literal_star
from auditor.policy.model import Policy, Statement
from auditor.policy.values import has_holes
from auditor.policy.wording import summarise
from auditor.rule import Finding, Rule


class AllowWithNot(Rule):
    """Reports an Allow statement that uses NotAction or NotResource.

    ## What it does
    Reports the `NotAction` or `NotResource` element of an Allow statement and says what it
    effectively grants: every action of every AWS service except those listed (or every resource
    except those listed), including the ones AWS adds later. `NotAction` on `Resource: "*"` with
    no Condition is the worst case, near-administrator access, and is an error; other uses are
    warnings. Deny statements with `NotAction`/`NotResource` are the normal way to write
    guardrails and are never reported; so are permissions boundaries and SCPs, where an Allow
    with `NotAction` only lets grants through.

    ## Why it matters
    `"NotAction": "connect:DeleteInstance"` in an Allow does not mean "everything in Connect but
    deleting instances": it means every action of every service, IAM included, except that one.
    Readers misread it, and it grows silently with every new service and action.

    ## Example
    ```json
    { "Effect": "Allow", "NotAction": ["connect:DeleteInstance", "iam:*"], "Resource": "*" }
    ```

    ## Fix
    List the actions the role needs in `Action`, and state the exceptions as a separate Deny
    statement (`"Effect": "Deny", "Action": "connect:DeleteInstance"`), which also survives other
    policies that allow it.
    """

    id = "CA204"
    name = "allow-with-not"
    short_description = "An Allow uses NotAction or NotResource and grants everything it does not list"
    level = "warning"
    kinds = ("identity", "resource")

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            if not st.is_allow:
                continue
            if "NotAction" in st.data:
                yield self._not_action(policy, st, catalog)
            if "NotResource" in st.data:
                yield self._not_resource(policy, st)

    def _not_action(self, policy: Policy, st: Statement, catalog: Catalog) -> Finding:
        listed = [v for v, _ in st.values("NotAction")]
        known = all(isinstance(v, str) and not has_holes(v) for v in listed)
        on_star = any(is_literal_star(v) for v, _ in st.resources)
        where = "on every resource" if on_star else (
            "on every resource but those NotResource lists" if "NotResource" in st.data else
            "on the statement's resources")
        if known and listed:
            names = [v.strip() for v in listed]
            granted = self._count_granted(names, catalog)
            what = (f"every action of every AWS service but {summarise(names)} "
                    f"({granted:,} actions in the catalog)")
        else:
            what = "every action of every AWS service but those NotAction lists"
        worst = on_star and not st.has_condition
        message = f"Allow with NotAction grants {what} {where}, and any action AWS adds later"
        message += ": this is close to administrator access." if worst else "."
        exceptions = summarise([v.strip() for v in listed], 3) if known and listed else "the exceptions"
        return self.finding(
            policy, st.path + ("NotAction",), message, at_key=True, level="error" if worst else None,
            suggestion=f"List the actions the role needs in \"Action\"; to keep {exceptions} out even where another "
            "policy allows them, add a separate \"Effect\": \"Deny\" statement.",
        )

    def _not_resource(self, policy: Policy, st: Statement) -> Finding:
        listed = [v for v, _ in st.values("NotResource")]
        known = all(isinstance(v, str) and not has_holes(v) for v in listed)
        acts = [v.strip() for v, _ in st.actions if not has_holes(v)]
        if "NotAction" in st.data:
            actions = "every action but those NotAction lists"
        else:
            actions = summarise(acts) if acts else "its actions"
        except_ = summarise([v.strip() for v in listed], 3) if known and listed else "those it lists"
        return self.finding(
            policy, st.path + ("NotResource",),
            f"Allow with NotResource grants {actions} on every resource but {except_}, including "
            f"resources created later.",
            at_key=True,
            suggestion="Name the resources the actions may act on in \"Resource\"; to keep some out, add a "
            "separate \"Effect\": \"Deny\" statement with those resources.",
        )

    @staticmethod
    def _count_granted(names: list[str], catalog: Catalog) -> int:
        excluded: set[str] = set()
        for name in names:
            for action in resolve_action(name, (), catalog).actions:
                excluded.add(action.full_name.lower())
        return len(catalog.expand("*").actions) - len(excluded)
