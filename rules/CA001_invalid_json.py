"""CA001: policy JSON that is not valid JSON."""

from __future__ import annotations

from typing import Iterable

from auditor.catalog import Catalog
from auditor.policy.model import Policy
from auditor.rule import Finding, Rule

_HINTS = {
    "trailing comma": "delete the comma: JSON allows none after the last item",
    "missing ','": "insert a comma between the two items",
    "comments are not allowed": "remove the comment; IAM rejects it",
    "duplicate key": "keep one of the two keys; IAM takes only the last",
}


class InvalidJson(Rule):
    """Reports a policy document that is not valid JSON.

    ## What it does
    Reports each JSON syntax fault in a policy document at its line and column: a trailing
    comma, a missing comma between items, a comment, a duplicate key, an unterminated string.
    Where the intent is clear (a trailing or missing comma) the rest of the policy is still
    audited; otherwise auditing of that document stops at the fault.

    ## Why it matters
    IAM, Terraform's `aws_iam_policy` and CloudFormation reject a malformed document, so the
    deployment fails; documentation examples (including AWS's Amazon Connect examples) carry
    exactly these faults and get copied as they are.

    ## Example
    ```json
    { "Effect": "Allow", "Action": ["connect:CreateUser"], "Resource": "*", }
    ```

    ## Fix
    Remove the trailing comma (or add the missing one) at the reported column.
    """

    id = "CA001"
    name = "invalid-json"
    short_description = "The policy document is not valid JSON"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for path, message, span in policy.syntax_errors:
            hint = next((h for k, h in _HINTS.items() if k in message), None)
            yield self.finding(policy, path, message, suggestion=hint, span=span)
