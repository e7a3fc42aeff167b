"""CA005: a policy larger than IAM's size quota for how it is attached."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable, Iterator

from auditor.catalog import Catalog
from auditor.policy.model import Attachment, Model, Policy, PolicyKind, PrincipalRecord
from auditor.policy.size import Size, json_size
from auditor.rule import Finding, Rule

MANAGED = 6144
# All inline policies of one principal together (IAM's "aggregate policy size").
INLINE = {"role": 10240, "user": 2048, "group": 5120}
TRUST_DEFAULT = 2048
_INLINE_ATTACHMENTS = {Attachment.ROLE_INLINE: "role", Attachment.USER_INLINE: "user", Attachment.GROUP_INLINE: "group"}
# The largest IAM quota a policy of unknown attachment could be under: a role's inline policies.
LARGEST = INLINE["role"]
_SHORTEN = ("merge statements that share Effect, Resource and Condition, and use wildcards such as "
            "connect:Describe* or .../queue/* where the wider grant is acceptable")


@dataclass(frozen=True)
class Quota:
    limit: int
    what: str  # "a managed policy", "all inline policies of a role together"...
    basis: str = ""  # why this quota, when it is not the default
    inline_of: str | None = None  # role | user | group for inline quotas
    # How the policy is attached is not known: over `limit` it is too large to be a managed
    # policy, but only over LARGEST is it too large for any attachment.
    attachment_unknown: bool = False


def _n(value: int) -> str:
    return f"{value:,}"


def _measure(size: Size) -> str:
    if size.exact:
        return f"{_n(size.chars)} characters"
    return f"at least {_n(size.chars)} characters (unresolved template values not counted)"


def scope(file: str) -> str:
    """Where a policy and a principal can belong together: the same Terraform module (its
    folder), else the same file (a CloudFormation template, a Terraform plan, a policy file).
    Logical ids and resource addresses repeat across stacks and roots (every stack may have a
    `Role0`), so a name alone says nothing."""
    if file.endswith(".tf") or file.endswith(".tf.json"):
        return str(PurePath(file).parent)
    return file


class PolicyTooLarge(Rule):
    """Reports a policy larger than the IAM size quota for how it is attached.

    ## What it does
    Counts a policy's characters the way IAM does, without white space, and compares them with
    IAM's quota for its attachment: 6,144 for a managed policy (and a permissions boundary),
    10,240 for all the inline policies of a role together, 2,048 for those of a user, 5,120 for
    those of a group, and 2,048 for a role trust policy (AWS can raise that quota up to 8,192:
    set the rule option `trust_policy_max` to yours). When the loader found which principal an
    inline policy belongs to, the sum of all its inline policies is checked as well; a
    principal's inline policies are looked up by name in its own CloudFormation template or
    Terraform module, never in other stacks that reuse the same logical ids.

    When how the policy is attached is not known (a bare policy file), a policy over 6,144
    characters is a warning that says it fits only as an inline policy of a role (10,240
    characters for all of a role's inline policies together), and an error only over 10,240,
    where no IAM quota could take it. A policy with unresolved template values is measured by
    its known part only, and reported only when that alone is over the quota.

    ## Why it matters
    IAM rejects a policy over its quota (`LimitExceeded: Cannot exceed quota for
    PolicySize`), so the deployment fails, often only when a last action or instance ARN is
    added to a policy that has grown with the contact centre: one statement per queue, routing
    profile or flow quickly adds up.

    ## Example
    A managed policy that lists 80 Amazon Connect queue ARNs one by one, 6,900 characters long.

    ## Fix
    Split the policy into several managed policies, or shorten it: merge statements that share
    Effect, Resource and Condition, use wildcards such as `connect:Describe*` or
    `.../queue/*` where the wider grant is acceptable, or move inline policies into managed ones.
    """

    id = "CA005"
    name = "policy-too-large"
    short_description = "The policy is larger than IAM's size quota for how it is attached"
    level = "error"
    kinds = ("identity", "boundary", "trust")

    # --- quotas ----------------------------------------------------------------------------
    def trust_limit(self) -> int:
        try:
            return int(self.options.get("trust_policy_max", TRUST_DEFAULT))
        except (TypeError, ValueError):
            return TRUST_DEFAULT

    def quota(self, policy: Policy) -> Quota | None:
        """The quota over which `check` reports the policy on its own."""
        if policy.kind == PolicyKind.TRUST or policy.attachment == Attachment.TRUST:
            limit = self.trust_limit()
            basis = "" if limit == TRUST_DEFAULT else " (as set by trust_policy_max)"
            return Quota(limit, "a role trust policy" + basis)
        if policy.kind == PolicyKind.BOUNDARY or policy.attachment == Attachment.MANAGED:
            return Quota(MANAGED, "a managed policy")
        if policy.attachment in _INLINE_ATTACHMENTS:
            who = _INLINE_ATTACHMENTS[policy.attachment]
            return Quota(INLINE[who], f"all inline policies of a {who} together", inline_of=who)
        if policy.kind == PolicyKind.IDENTITY:
            return Quota(MANAGED, "a managed policy", attachment_unknown=True)
        return None

    # --- one policy ------------------------------------------------------------------------
    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        if policy.unparsable or policy.document is None:
            return
        quota = self.quota(policy)
        if quota is None:
            return
        size = json_size(policy.document)
        if size.chars <= quota.limit:
            return
        long = f"the policy is {_measure(size)} long without white space"
        tail = _largest_statement(policy)
        if quota.attachment_unknown and size.chars <= LARGEST:
            yield self.finding(
                policy, (),
                f"{long}: how it is attached is not known, and it is over IAM's {_n(MANAGED)}-character quota "
                f"for a managed policy (and those for the inline policies of a user, {_n(INLINE['user'])}, "
                f"or a group, {_n(INLINE['group'])}); it fits only as an inline policy of a role "
                f"({_n(LARGEST)} characters for all of a role's inline policies together)",
                suggestion=(f"attach it to a role as an inline policy (with room left by the role's other inline "
                            f"policies), or split it into several managed policies, or shorten it ({_SHORTEN}){tail}"),
                level="warning",
            )
        elif quota.attachment_unknown:
            yield self.finding(
                policy, (),
                f"{long}, over every IAM size quota it could be under: {_n(LARGEST)} for all inline policies "
                f"of a role together, {_n(MANAGED)} for a managed policy (how it is attached is not known)",
                suggestion=f"split it into several managed policies, or shorten it ({_SHORTEN}){tail}",
            )
        else:
            yield self.finding(
                policy, (),
                f"{long}, over IAM's {_n(quota.limit)}-character quota for {quota.what}{quota.basis}",
                suggestion=self._fix(policy, quota, tail),
            )

    def _fix(self, policy: Policy, quota: Quota, tail: str) -> str:
        if policy.kind == PolicyKind.TRUST or policy.attachment == Attachment.TRUST:
            return (f"shorten it (trust the account, arn:aws:iam::<account>:root, with an ArnLike condition on "
                    f"aws:PrincipalArn instead of listing roles one by one), or have AWS raise the role trust "
                    f"policy length quota (up to 8,192) and set the CA005 option trust_policy_max to it{tail}")
        if policy.kind == PolicyKind.BOUNDARY:
            return f"shorten it ({_SHORTEN}): a principal has only one permissions boundary{tail}"
        if quota.inline_of:
            return (f"move statements into managed policies ({_n(MANAGED)} characters each), or shorten it "
                    f"({_SHORTEN}){tail}")
        return f"split it into several managed policies, or shorten it ({_SHORTEN}){tail}"

    # --- all inline policies of a principal -----------------------------------------------
    def check_model(self, model: Model, catalog: Catalog) -> Iterable[Finding]:
        # One pass over the policies, one look-up per inline policy a principal names.
        scoped: dict[tuple[str, str], list[Policy]] = {}
        scopes_of: dict[str, set[str]] = {}
        for p in model.policies:
            if p.kind == PolicyKind.IDENTITY and not p.unparsable and p.document is not None:
                where = scope(p.file)
                scoped.setdefault((where, p.name), []).append(p)
                scopes_of.setdefault(p.name, set()).add(where)
        sizes: dict[int, Size] = {}

        def size_of(p: Policy) -> Size:
            if id(p) not in sizes:
                sizes[id(p)] = json_size(p.document)
            return sizes[id(p)]

        for principal in model.principals:
            limit = INLINE.get(principal.kind)
            if limit is None:
                continue
            members: list[tuple[Policy, Size]] = []
            for name in dict.fromkeys(principal.inline_policies):
                variants = scoped.get((self._principal_scope(principal, name, scopes_of), name))
                if variants:
                    # Variants (one per branch of a template condition) are alternatives: count the largest.
                    members.append(max(((p, size_of(p)) for p in variants), key=lambda ps: ps[1].chars))
            yield from self._aggregate(principal, limit, members)

    @staticmethod
    def _principal_scope(principal: PrincipalRecord, name: str, scopes_of: dict[str, set[str]]) -> str:
        """The scope a principal's inline policy `name` is looked up in: the principal's own; for
        a principal the loader knows only by name (no span), the one scope that has a policy of
        that name, if there is exactly one."""
        if principal.span is not None:
            return scope(principal.span.file)
        found = scopes_of.get(name, set())
        return next(iter(found)) if len(found) == 1 else ""

    def _aggregate(self, principal: PrincipalRecord, limit: int, members: list[tuple[Policy, Size]]) -> Iterator[Finding]:
        if not members:
            return
        for p, size in members:
            q = self.quota(p)
            if q is not None and size.chars > q.limit:
                return  # already reported on its own by `check`; the sum would say it again
        total = Size(0, True)
        for _, size in members:
            total = total + size
        if total.chars <= limit:
            return
        biggest = max(members, key=lambda ps: ps[1].chars)[0]
        quota = f"over IAM's {_n(limit)}-character quota for all inline policies of a {principal.kind} together"
        if len(members) == 1:
            message = (f"the inline policy of {principal.kind} {principal.name} is {_measure(total)} long without "
                       f"white space, {quota}")
            fix = f"move statements into a managed policy ({_n(MANAGED)} characters each), or shorten it"
        else:
            parts = ", ".join(f"{p.name} {_n(s.chars)}" for p, s in sorted(members, key=lambda ps: -ps[1].chars))
            message = (f"the inline policies of {principal.kind} {principal.name} are {_measure(total)} long together "
                       f"without white space ({parts}), {quota}")
            fix = f"move some of them into managed policies ({_n(MANAGED)} characters each), or shorten them"
        finding = self.finding(biggest, (), message, suggestion=fix, span=principal.span)
        finding.resource = principal.name
        yield finding


def _largest_statement(policy: Policy) -> str:
    """`; its largest statement is Statement[3] ("Sid") at 1,234 characters`, for a policy of
    two statements or more."""
    sized = [(json_size(st.data).chars, st) for st in policy.statements()]
    if len(sized) < 2:
        return ""
    chars, st = max(sized, key=lambda cs: cs[0])
    sid = f' ("{st.sid}")' if st.sid else ""
    return f"; its largest statement is Statement[{st.index}]{sid} at {_n(chars)} characters"
