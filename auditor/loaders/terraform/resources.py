"""IAM resources of a module instance to `Policy` and `PrincipalRecord` entries.

Policies: `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
`aws_iam_group_policy`, `aws_iam_role` (`assume_role_policy` as a trust policy and its
`inline_policy` blocks), `aws_ssoadmin_permission_set_inline_policy`, and policy documents no
resource reads (audited on their own as `data.aws_iam_policy_document.x`). Principals: roles,
users and groups with their inline policies, attachments, `managed_policy_arns`, boundaries
and group memberships, for the console-coverage checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.loaders.terraform.evaluate import Env, evaluate
from auditor.loaders.terraform.located import V, to_document
from auditor.loaders.terraform.modules import Module, instances
from auditor.loaders.terraform.nodes import Attr, Block, Expr, GetAttr, Index, ref_root
from auditor.loaders.terraform.policy_document import as_document, build
from auditor.policy.model import Attachment, Model, Policy, PolicyKind, PrincipalRecord, Span
from auditor.policy.values import Text

# resource type -> (policy argument, attachment, argument naming the principal, principal kind)
POLICY_RESOURCES: dict[str, tuple[str, Attachment, str | None, str | None]] = {
    "aws_iam_policy": ("policy", Attachment.MANAGED, None, None),
    "aws_iam_role_policy": ("policy", Attachment.ROLE_INLINE, "role", "role"),
    "aws_iam_user_policy": ("policy", Attachment.USER_INLINE, "user", "user"),
    "aws_iam_group_policy": ("policy", Attachment.GROUP_INLINE, "group", "group"),
    "aws_ssoadmin_permission_set_inline_policy": ("inline_policy", Attachment.UNKNOWN, None, None),
}
PRINCIPAL_TYPES = {"aws_iam_role": "role", "aws_iam_user": "user", "aws_iam_group": "group"}
# attachment type -> (principal argument, kind, policy argument)
ATTACHMENTS = {
    "aws_iam_role_policy_attachment": ("role", "role", "policy_arn"),
    "aws_iam_user_policy_attachment": ("user", "user", "policy_arn"),
    "aws_iam_group_policy_attachment": ("group", "group", "policy_arn"),
    "aws_iam_role_policy_attachments_exclusive": ("role_name", "role", "policy_arns"),
    "aws_iam_user_policy_attachments_exclusive": ("user_name", "user", "policy_arns"),
    "aws_iam_group_policy_attachments_exclusive": ("group_name", "group", "policy_arns"),
}


@dataclass
class Collected:
    """Everything found in one root module tree, before principals are linked."""

    policies: list[Policy] = field(default_factory=list)
    principals: dict[str, PrincipalRecord] = field(default_factory=dict)
    # (kind, evaluated name) -> record name, for `role = "agents-role"`
    by_name: dict[tuple[str, str], str] = field(default_factory=dict)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)  # (kind, target, what, value)
    boundaries: set[str] = field(default_factory=set)
    notes: list[tuple[Span, str]] = field(default_factory=list)


def _policy(c: Collected, mod: Module, block: Block, attr: Attr, value: V, name: str, kind: PolicyKind,
            attachment: Attachment) -> Policy | None:
    tree, errors, reason = as_document(value)
    file = block.span.file
    if tree is None and not errors:
        c.notes.append((attr.expr.span or attr.span, f"{name}: the policy cannot be audited: {reason}"))
        return None
    if tree is None:
        policy = Policy(None, _locs(file, attr.span), name, kind, attachment)
        policy.unparsable = True
    else:
        doc, locs = to_document(tree, file, attr.expr.span)
        policy = Policy(doc, locs, name, kind, attachment)
    policy.syntax_errors = list(errors)
    c.policies.append(policy)
    return policy


def _locs(file: str, span: Span):  # type: ignore[no-untyped-def]
    from auditor.policy.model import LocationMap

    return LocationMap(file, default=span)


def trace_ref(expr: Expr, env: Env, rtype: str, depth: int = 0) -> str | None:
    """The address of the `rtype` resource an expression refers to, followed through locals
    and local module outputs (`module.queues.policy_arn` -> `module.queues.aws_iam_policy.this`)."""
    ref = ref_root(expr)
    if ref is None or depth > 20:
        return None
    root, steps = ref
    if root == rtype and steps and isinstance(steps[0], GetAttr):
        suffix = ""
        if len(steps) > 1 and isinstance(steps[1], Index):
            key = evaluate(steps[1].key, env)
            suffix = f'["{key.v}"]' if isinstance(key.v, str) else f"[{key.v}]"
        return f"{env.mod.address}{rtype}.{steps[0].name}{suffix}"
    if root == "local" and steps and isinstance(steps[0], GetAttr) and len(steps) == 1:
        attr = env.mod.locals.get(steps[0].name)
        return trace_ref(attr.expr, env.mod.env(), rtype, depth + 1) if attr is not None else None
    if root == "module" and len(steps) >= 2 and isinstance(steps[0], GetAttr):
        kids = env.mod.children(steps[0].name)
        rest = steps[1:]
        if len(kids) == 1 and isinstance(rest[0], GetAttr):
            child = kids[0][1]
            out = child.outputs.get(rest[0].name)
            if out is not None and len(rest) == 1:
                return trace_ref(out.expr, child.env(), rtype, depth + 1)
    return None


def _target(expr: Expr, env: Env, kind: str, rtype: str) -> str:
    """The principal an argument names: the address of a role/user/group of this
    configuration, or `kind:name` of one known by name (linked later), or the expression."""
    address = trace_ref(expr, env, rtype)
    if address is not None:
        return address
    v = evaluate(expr, env)
    if isinstance(v.v, str):
        return f"{kind}:{v.v}"
    return f"{kind}:{expr.text}"


def _policy_ref(expr: Expr, env: Env) -> tuple[str, str]:
    """('ref', address) for a policy of this configuration, else ('arn', the ARN as known)."""
    address = trace_ref(expr, env, "aws_iam_policy")
    if address is not None:
        return "ref", address
    v = evaluate(expr, env)
    return "arn", str(v.v) if isinstance(v.v, str) else expr.text


def _policy_refs(attr: Attr, env: Env) -> list[tuple[str, str]]:
    from auditor.loaders.terraform.nodes import TupleE

    if isinstance(attr.expr, TupleE):
        return [_policy_ref(i, env) for i in attr.expr.items]
    v = evaluate(attr.expr, env)
    if isinstance(v.v, list):
        return [("arn", str(i.v)) for i in v.v]
    return [("arn", str(v.v) if isinstance(v.v, str) else attr.expr.text)]


def collect_module(c: Collected, mod: Module) -> None:
    """Policies and principal facts of one module instance and its local children."""
    for (rtype, rname), block in mod.resources.items():
        if rtype not in POLICY_RESOURCES and rtype not in PRINCIPAL_TYPES and rtype not in ATTACHMENTS \
                and rtype not in ("aws_iam_policy_attachment", "aws_iam_user_group_membership",
                                  "aws_iam_group_membership"):
            continue
        for suffix, env in instances(block, mod.env()):
            address = f"{mod.address}{rtype}.{rname}{suffix}"
            _resource(c, mod, block, rtype, address, env)
    for child in mod.all_children():
        collect_module(c, child)
    # Documents no policy of this instance read are audited on their own.
    for (dtype, dname), block in mod.data.items():
        if dtype != "aws_iam_policy_document" or (dtype, dname) in mod.consumed_docs:
            continue
        for suffix, env in instances(block, mod.env()):
            doc = build(block, env)
            name = f"{mod.address}data.aws_iam_policy_document.{dname}{suffix}"
            tree, locs = to_document(doc, block.span.file, block.header)
            p = Policy(tree, locs, name, _doc_kind(tree), Attachment.UNKNOWN)
            p.syntax_errors = list(doc.errors or [])
            c.policies.append(p)


def _doc_kind(doc: object) -> PolicyKind:
    """A standalone document whose statements all name principals and assume a role is a trust policy."""
    if not isinstance(doc, dict) or not isinstance(doc.get("Statement"), list) or not doc["Statement"]:
        return PolicyKind.IDENTITY
    sts = doc["Statement"]

    def assumes(s: object) -> bool:
        if not isinstance(s, dict) or "Principal" not in s:
            return False
        acts = s.get("Action")
        acts = acts if isinstance(acts, list) else [acts]
        return any(isinstance(a, str) and a.lower().startswith("sts:assumerole") for a in acts)

    return PolicyKind.TRUST if all(assumes(s) for s in sts) else PolicyKind.IDENTITY


def _resource(c: Collected, mod: Module, block: Block, rtype: str, address: str, env: Env) -> None:
    a = block.attrs
    if rtype in POLICY_RESOURCES:
        arg, attachment, who, kind = POLICY_RESOURCES[rtype]
        if arg in a:
            value = evaluate(a[arg].expr, env)
            _policy(c, mod, block, a[arg], value, address, PolicyKind.IDENTITY, attachment)
        if who and kind and who in a:
            c.links.append((kind, _target(a[who].expr, env, kind, f"aws_iam_{kind}"), "inline", address))
        return
    if rtype in PRINCIPAL_TYPES:
        kind = PRINCIPAL_TYPES[rtype]
        rec = PrincipalRecord(kind, address, block.header)
        c.principals[address] = rec
        if "name" in a:
            n = evaluate(a["name"].expr, env)
            if isinstance(n.v, str) and not isinstance(n.v, Text):
                c.by_name[(kind, n.v)] = address
        if rtype == "aws_iam_role":
            if "assume_role_policy" in a:
                value = evaluate(a["assume_role_policy"].expr, env)
                _policy(c, mod, block, a["assume_role_policy"], value, f"{address}.assume_role_policy",
                        PolicyKind.TRUST, Attachment.TRUST)
            for i, (ib, ienv) in enumerate(_inline_blocks(block, env)):
                if "policy" not in ib.attrs:
                    continue
                value = evaluate(ib.attrs["policy"].expr, ienv)
                name = f"{address}.inline_policy[{i}]"
                if _policy(c, mod, block, ib.attrs["policy"], value, name, PolicyKind.IDENTITY,
                           Attachment.ROLE_INLINE):
                    rec.inline_policies.append(name)
            if "managed_policy_arns" in a:
                for how, arn in _policy_refs(a["managed_policy_arns"], env):
                    (rec.managed_policy_refs if how == "ref" else rec.managed_policy_arns).append(arn)
        if "permissions_boundary" in a:
            how, boundary = _policy_ref(a["permissions_boundary"].expr, env)
            rec.permissions_boundary = boundary or None
            if how == "ref":
                c.boundaries.add(boundary)
        return
    if rtype in ATTACHMENTS:
        who, kind, parg = ATTACHMENTS[rtype]
        if who in a and parg in a:
            target = _target(a[who].expr, env, kind, f"aws_iam_{kind}")
            refs = _policy_refs(a[parg], env) if parg.endswith("s") else [_policy_ref(a[parg].expr, env)]
            for how, arn in refs:
                c.links.append((kind, target, how, arn))
        return
    if rtype == "aws_iam_policy_attachment" and "policy_arn" in a:
        how, arn = _policy_ref(a["policy_arn"].expr, env)
        for arg, kind in (("roles", "role"), ("users", "user"), ("groups", "group")):
            for expr in _list_items(a.get(arg)):
                c.links.append((kind, _target(expr, env, kind, f"aws_iam_{kind}"), how, arn))
        return
    if rtype == "aws_iam_user_group_membership" and "user" in a:
        user = _target(a["user"].expr, env, "user", "aws_iam_user")
        for expr in _list_items(a.get("groups")):
            c.links.append(("user", user, "group", _target(expr, env, "group", "aws_iam_group")))
        return
    if rtype == "aws_iam_group_membership" and "group" in a:
        group = _target(a["group"].expr, env, "group", "aws_iam_group")
        for expr in _list_items(a.get("users")):
            c.links.append(("user", _target(expr, env, "user", "aws_iam_user"), "group", group))


def _inline_blocks(block: Block, env: Env) -> list[tuple[Block, Env]]:
    from auditor.loaders.terraform.policy_document import expand

    return expand(block, "inline_policy", env)


def _list_items(attr: Attr | None) -> list[Expr]:
    from auditor.loaders.terraform.nodes import TupleE

    if attr is None:
        return []
    if isinstance(attr.expr, TupleE):
        return attr.expr.items
    return [attr.expr]


def finish(c: Collected, model: Model) -> None:
    """Link principals named by name, mark boundary policies, and add everything to the model."""

    def record(kind: str, target: str) -> PrincipalRecord:
        if target.startswith(kind + ":"):
            target = c.by_name.get((kind, target[len(kind) + 1 :]), target)
        rec = c.principals.get(target)
        if rec is None:
            rec = c.principals[target] = PrincipalRecord(kind, target.split(":", 1)[-1] if ":" in target
                                                         and not target.startswith("arn:") else target)
        return rec

    for kind, target, what, value in c.links:
        rec = record(kind, target)
        if what == "inline":
            rec.inline_policies.append(value)
        elif what == "ref":
            rec.managed_policy_refs.append(value)
        elif what == "arn":
            rec.managed_policy_arns.append(value)
        elif what == "group":
            grp = record("group", value)
            rec.groups.append(grp.name)
    attached = {r for rec in c.principals.values() for r in rec.managed_policy_refs}
    for p in c.policies:
        if p.name in c.boundaries and p.name not in attached:
            p.kind = PolicyKind.BOUNDARY
    model.policies.extend(c.policies)
    model.principals.extend(c.principals.values())
    model.notes.extend(c.notes)


__all__ = ["Collected", "collect_module", "finish", "trace_ref"]
