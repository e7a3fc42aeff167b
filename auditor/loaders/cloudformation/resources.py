"""Find every IAM policy (and the principals it is attached to) in a parsed template.

Each IAM-bearing resource's `Properties` is resolved once per combination of the `Fn::If`
conditions it meets (both branches are audited). A document that differs between branches
becomes one `Policy` per branch, its `variant` naming the conditions it depends on; a
document the same in every branch becomes one `Policy` without a variant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from auditor.policy.model import (Attachment, LocationMap, Model, Path, Policy, PolicyKind, PrincipalRecord,
                                  Span)
from auditor.policy.values import Text

from . import embedded
from .intrinsics import Resolution, Resolver, TemplateContext
from .managed_policies import aws_managed_policy_arn
from .yaml_marks import RawSpan, Template

MAX_RUNS = 64  # Fn::If combinations resolved per resource; 6 independent conditions
SAM_ALWAYS = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


@dataclass
class Candidate:
    """A policy document found in one run: where it is in the resolved Properties."""

    name: str
    path: Path
    kind: PolicyKind
    attachment: Attachment


@dataclass
class Found:
    """What one run of one resource gives."""

    candidates: list[Candidate] = field(default_factory=list)
    # (principal kind, logical id or name) -> fields to merge into its record
    principal: tuple[str, str] | None = None
    managed_arns: list[str] = field(default_factory=list)
    managed_refs: list[str] = field(default_factory=list)
    boundary: str | None = None
    groups: list[str] = field(default_factory=list)
    # (target kind, target reference, how: "inline" | "managed", policy name)
    attachments: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)
    noted_at_key: set[Path] = field(default_factory=set)  # notes about a key, not its value


def enumerate_runs(ctx: TemplateContext, value: Any, span: RawSpan, style: str | None = None
                   ) -> tuple[list[tuple[Any, Resolution, dict[str, bool]]], bool]:
    """Resolve `value` once per leaf of its Fn::If decision tree; True if runs were capped."""
    pending: list[dict[str, bool]] = [{}]
    runs: list[tuple[Any, Resolution, dict[str, bool]]] = []
    while pending:
        if len(runs) >= MAX_RUNS:
            return runs, True
        assignment = pending.pop(0)
        r = Resolver(ctx, assignment)
        resolved = r.resolve(value, span, style, ())
        runs.append((resolved, r.res, r.assignment))
        new = r.res.new_conditions
        for i, cond in enumerate(new):
            other = dict(assignment)
            other.update({c: True for c in new[:i]})
            other[cond] = False
            pending.append(other)
    return runs, False


# --- per resource type -------------------------------------------------------------------------
def _ref_target(value: Any, ctx: TemplateContext) -> str | None:
    """The logical id a value refers to (`!Ref AgentRole`, `${AgentRole}`), if it does."""
    if isinstance(value, Text) and len(value.parts) == 1 and not isinstance(value.parts[0], str):
        expr = value.parts[0].expr
        name = expr[5:] if expr.startswith("!Ref ") else expr
        if name in ctx.resources:
            return name
    return None


def _strings(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _shown(value: Text) -> str:
    """An unresolved value as a note shows it: `!Ref Doc`, or the text with its holes."""
    holes = value.holes
    return f"`{holes[0].expr}`" if len(value.parts) == 1 and holes else f"`{value}`"


def _principal_fields(found: Found, props: dict[str, Any], ctx: TemplateContext) -> None:
    for arn in _strings(props.get("ManagedPolicyArns")):
        target = _ref_target(arn, ctx)
        if target and ctx.resources.get(target) == "AWS::IAM::ManagedPolicy":
            found.managed_refs.append(target)
        else:
            found.managed_arns.append(str(arn))
    boundary = props.get("PermissionsBoundary")
    if isinstance(boundary, str):
        found.boundary = _ref_target(boundary, ctx) or str(boundary)


def _inline_list(found: Found, lid: str, props: dict[str, Any], res: Resolution, attachment: Attachment) -> None:
    policies = props.get("Policies")
    if isinstance(policies, Text):
        found.notes.append((("Policies",), f"{lid}.Policies is not known before deployment ({_shown(policies)}); "
                                           "not audited"))
        return
    if not isinstance(policies, list):
        return
    for i, item in enumerate(policies):
        src = res.src_index.get(("Policies", i), i)
        if isinstance(item, dict) and "PolicyDocument" in item:
            found.candidates.append(Candidate(f"{lid}.Policies[{src}]", ("Policies", i, "PolicyDocument"),
                                              PolicyKind.IDENTITY, attachment))


def _role(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    found = Found(principal=("role", lid))
    if "AssumeRolePolicyDocument" in props:
        found.candidates.append(Candidate(f"{lid}.AssumeRolePolicyDocument", ("AssumeRolePolicyDocument",),
                                          PolicyKind.TRUST, Attachment.TRUST))
    _inline_list(found, lid, props, res, Attachment.ROLE_INLINE)
    _principal_fields(found, props, ctx)
    return found


def _user(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    found = Found(principal=("user", lid))
    _inline_list(found, lid, props, res, Attachment.USER_INLINE)
    _principal_fields(found, props, ctx)
    for g in _strings(props.get("Groups")):
        found.groups.append(_ref_target(g, ctx) or str(g))
    return found


def _group(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    found = Found(principal=("group", lid))
    _inline_list(found, lid, props, res, Attachment.GROUP_INLINE)
    _principal_fields(found, props, ctx)
    return found


def _targets(found: Found, props: dict[str, Any], how: str, name: str) -> None:
    for prop, kind in (("Roles", "role"), ("Users", "user"), ("Groups", "group")):
        for target in _strings(props.get(prop)):
            found.attachments.append((kind, target, how, name))


def _policy(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    found = Found()
    # An AWS::IAM::Policy is stored inline on each principal: the strictest quota applies.
    attachment = (Attachment.USER_INLINE if props.get("Users") else Attachment.GROUP_INLINE if props.get("Groups")
                  else Attachment.ROLE_INLINE if props.get("Roles") else Attachment.UNKNOWN)
    found.candidates.append(Candidate(lid, ("PolicyDocument",), PolicyKind.IDENTITY, attachment))
    _targets(found, props, "inline", lid)
    return found


def _managed_policy(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    found = Found()
    found.candidates.append(Candidate(lid, ("PolicyDocument",), PolicyKind.IDENTITY, Attachment.MANAGED))
    _targets(found, props, "managed", lid)
    return found


def _principal_policy(kind: str, prop: str, attachment: Attachment) -> Callable[..., Found]:
    def handler(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
        found = Found()
        found.candidates.append(Candidate(lid, ("PolicyDocument",), PolicyKind.IDENTITY, attachment))
        target = props.get(prop)
        if isinstance(target, str):
            found.attachments.append((kind, target, "inline", lid))
        return found

    return handler


def _permission_set(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext) -> Found:
    # A permission set becomes a role in each account it is assigned to. Its inline policy's
    # quota (32,768 characters) is none of IAM's attachment quotas, hence UNKNOWN.
    found = Found(principal=("role", lid))
    if "InlinePolicy" in props:
        found.candidates.append(Candidate(f"{lid}.InlinePolicy", ("InlinePolicy",), PolicyKind.IDENTITY,
                                          Attachment.UNKNOWN))
    for arn in _strings(props.get("ManagedPolicies")):
        found.managed_arns.append(str(arn))
    refs = props.get("CustomerManagedPolicyReferences")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and isinstance(ref.get("Name"), str):
            found.managed_arns.append(f"customer-managed:{ref.get('Path', '/')}{ref['Name']}")
    boundary = props.get("PermissionsBoundary")
    if isinstance(boundary, dict):
        if isinstance(boundary.get("ManagedPolicyArn"), str):
            found.boundary = str(boundary["ManagedPolicyArn"])
        elif isinstance(boundary.get("CustomerManagedPolicyReference"), dict):
            ref = boundary["CustomerManagedPolicyReference"]
            found.boundary = f"customer-managed:{ref.get('Path', '/')}{ref.get('Name', '')}"
    return found


def _serverless(lid: str, props: dict[str, Any], res: Resolution, ctx: TemplateContext, function: bool) -> Found:
    # SAM creates a role `<logical id>Role` holding the function's Policies, unless Role is set.
    found = Found()
    if props.get("Role") is not None:
        if props.get("Policies") is not None:
            found.notes.append((("Policies",), f"{lid} sets Role, so SAM ignores its Policies; not audited"))
            found.noted_at_key.add(("Policies",))
        return found
    role = lid + "Role"
    found.principal = ("role", role)
    if function:
        found.managed_arns.append(SAM_ALWAYS)
    policies = props.get("Policies")
    items: list[tuple[Any, Path, str]]
    if isinstance(policies, list):
        items = [(p, ("Policies", i), f"{lid}.Policies[{res.src_index.get(('Policies', i), i)}]")
                 for i, p in enumerate(policies)]
    elif policies is not None:
        items = [(policies, ("Policies",), f"{lid}.Policies")]
    else:
        items = []
    for item, path, name in items:
        if isinstance(item, dict) and ("Statement" in item or "Version" in item):
            found.candidates.append(Candidate(name, path, PolicyKind.IDENTITY, Attachment.ROLE_INLINE))
        elif isinstance(item, dict) and len(item) == 1:
            template = next(iter(item))
            found.notes.append((path + (template,), f"{name} uses the SAM policy template {template}, which SAM "
                                                    "expands at deployment; not audited"))
            found.noted_at_key.add(path + (template,))
        elif isinstance(item, str) and not isinstance(item, Text) and not item.startswith("arn:"):
            # SAM maps the name to the policy's ARN (`.../policy/service-role/...` for most
            # of those made for Lambda) and lists an ARN once.
            arn = aws_managed_policy_arn(item)
            if arn not in found.managed_arns:
                found.managed_arns.append(arn)
            found.notes.append((path, f"{name} names the AWS managed policy {item}; recorded on {role}, not audited"))
        elif isinstance(item, str):
            target = _ref_target(item, ctx)
            if target and ctx.resources.get(target) == "AWS::IAM::ManagedPolicy":
                found.managed_refs.append(target)
            else:
                found.managed_arns.append(str(item))
    boundary = props.get("PermissionsBoundary")
    if isinstance(boundary, str):
        found.boundary = _ref_target(boundary, ctx) or str(boundary)
    return found


HANDLERS: dict[str, Callable[[str, dict[str, Any], Resolution, TemplateContext], Found]] = {
    "AWS::IAM::Role": _role,
    "AWS::IAM::User": _user,
    "AWS::IAM::Group": _group,
    "AWS::IAM::Policy": _policy,
    "AWS::IAM::ManagedPolicy": _managed_policy,
    "AWS::IAM::RolePolicy": _principal_policy("role", "RoleName", Attachment.ROLE_INLINE),
    "AWS::IAM::UserPolicy": _principal_policy("user", "UserName", Attachment.USER_INLINE),
    "AWS::IAM::GroupPolicy": _principal_policy("group", "GroupName", Attachment.GROUP_INLINE),
    "AWS::SSO::PermissionSet": _permission_set,
    "AWS::Serverless::Function": lambda lid, p, r, c: _serverless(lid, p, r, c, True),
    "AWS::Serverless::StateMachine": lambda lid, p, r, c: _serverless(lid, p, r, c, False),
}


# --- the template ------------------------------------------------------------------------------
class TemplateExtractor:
    """Adds one template's policies, principals and notes to the model."""

    def __init__(self, template: Template, parameters: dict[str, str], model: Model) -> None:
        self.tpl = template
        self.file = template.file
        self.ctx = TemplateContext.of(template, parameters)
        self.model = model
        self.principals: dict[tuple[str, str], PrincipalRecord] = {}
        self.attachments: list[tuple[str, str, str, str, RawSpan]] = []
        self.consumed: set[tuple[int, str, RawSpan]] = set()

    def span(self, raw: RawSpan) -> Span:
        return Span(self.file, *raw)

    def run(self) -> None:
        top = self.tpl.value
        resources = top.get("Resources") if isinstance(top, dict) else None
        if not isinstance(resources, dict):
            self.model.input_errors.append((self.span(self.tpl.root),
                                            "not a CloudFormation template: no Resources section"))
            return
        table = self.tpl.children.get(id(resources)) or {}
        for lid, body in resources.items():
            handler = HANDLERS.get(self.ctx.resources.get(lid, ""))
            if handler is None or not isinstance(body, dict):
                continue
            key_span, body_span, _ = table.get(lid, (None, self.tpl.root, None))
            self.resource(lid, body, key_span or body_span, body_span, handler)
        self.attach()
        self.leftover_faults()

    def resource(self, lid: str, body: dict[str, Any], key_span: RawSpan, body_span: RawSpan,
                 handler: Callable[[str, dict[str, Any], Resolution, TemplateContext], Found]) -> None:
        props = body.get("Properties")
        btable = self.tpl.children.get(id(body)) or {}
        pspan = btable["Properties"][1] if "Properties" in btable else body_span
        if props is None:
            props = {}
        runs, capped = enumerate_runs(self.ctx, props, pspan)
        if capped:
            self.model.notes.append((self.span(key_span), f"{lid} has more Fn::If combinations than {MAX_RUNS}; "
                                                          f"audited the first {MAX_RUNS}"))
        # policy name -> its distinct documents across the runs
        variants: dict[str, list[Policy]] = {}
        order: list[str] = []
        noted: set[tuple[Path, str]] = set()
        present: dict[str, int] = {}  # in how many runs each policy exists
        for resolved, res, assignment in runs:
            if not isinstance(resolved, dict):
                continue
            found = handler(lid, resolved, res, self.ctx)
            for cand in found.candidates:
                policy = self.policy(cand, resolved, res, assignment)
                if policy is None:
                    continue
                if cand.name not in variants:
                    variants[cand.name] = []
                    order.append(cand.name)
                present[cand.name] = present.get(cand.name, 0) + 1
                if not any(_same(policy, other) for other in variants[cand.name]):
                    variants[cand.name].append(policy)
            for path, message in found.notes:
                if (path, message) not in noted:
                    noted.add((path, message))
                    at = res.keys.get(path) if path in found.noted_at_key else None
                    self.model.notes.append((self.span(at or res.values.get(path, pspan)), message))
            self.principal(found, key_span)
            for kind, target, how, name in found.attachments:
                self.attachments.append((kind, target if isinstance(target, str) else str(target), how, name,
                                         key_span))
        for name in order:
            group = variants[name]
            # The same document in every branch is no variant; one that exists only in some
            # branches keeps the conditions it exists under.
            if len(group) == 1 and present[name] == len(runs):
                group[0].variant = None
            self.model.policies.extend(group)

    def policy(self, cand: Candidate, props: dict[str, Any], res: Resolution, assignment: dict[str, bool]
               ) -> Policy | None:
        doc: Any = props
        for step in cand.path:
            doc = doc[step] if isinstance(doc, dict) and isinstance(step, str) else (
                doc[step] if isinstance(doc, list) and isinstance(step, int) and step < len(doc) else None)
        n = len(cand.path)
        doc_span = res.values.get(cand.path) or res.values.get(())
        whole = self.span(doc_span) if doc_span else Span(self.file, 1, 1, 1, 1)
        syntax: list[tuple[Path, str, Span]] = []
        unparsable = False
        if isinstance(doc, str):
            parsed = self.embedded(cand, doc, res, assignment, whole)
            if parsed is None:
                return None
            doc, locs, syntax, unparsable = parsed
        else:
            values = {p[n:]: self.span(s) for p, s in res.values.items() if p[:n] == cand.path}
            keys = {p[n:]: self.span(s) for p, s in res.keys.items() if p[:n] == cand.path}
            locs = LocationMap(self.file, values, keys, whole)
            if not isinstance(doc, dict):
                syntax.append(((), "a policy document must be a JSON object (or a string holding one)", whole))
        for cpath, message, fspan, cid in res.faults:
            if cpath[:n] == cand.path:
                syntax.append((cpath[n:], message, self.span(fspan)))
                self.consumed.add((cid, message, fspan))
        labels = _relevant(res.decisions, cand.path)
        variant = ", ".join(f"Fn::If {c}: {'true' if v else 'false'}" for c, v in labels) or None
        policy = Policy(doc, locs, cand.name, kind=cand.kind, attachment=cand.attachment, variant=variant)
        policy.syntax_errors = syntax
        policy.unparsable = unparsable
        return policy

    def embedded(self, cand: Candidate, doc: str, res: Resolution, assignment: dict[str, bool], whole: Span
                 ) -> tuple[Any, LocationMap, list[tuple[Path, str, Span]], bool] | None:
        """A document written as a JSON string (plain, or an Fn::Sub template)."""
        origin = res.origins.get(cand.path)
        lines = self.tpl.lines
        if origin and origin[0] == "str":
            return embedded.parse_located(origin[1], self.file, lines, origin[2], origin[3])
        if origin and origin[0] == "sub":
            # Parse the template text (its `${...}` sit inside JSON strings), then substitute
            # each string: the locations stay those of the text as written.
            value, locs, errors, fatal = embedded.parse_located(origin[1], self.file, lines, origin[2], origin[3])
            resolver = Resolver(self.ctx, assignment)
            return _map_strings(value, lambda s: resolver.substitute(s, origin[4])), locs, errors, fatal
        if isinstance(doc, Text) and not doc.lstrip().startswith("{"):
            self.model.notes.append((whole, f"{cand.name}: the policy document is not known before deployment "
                                            f"({_shown(doc)}); not audited"))
            return None
        # Built by Fn::Join or the like: parse with the holes standing in as placeholders.
        holes: list[Any] = []

        def mark(part: Any) -> str:
            holes.append(part)
            return f"\ue000{len(holes) - 1}\ue001"

        text = "".join(p if isinstance(p, str) else mark(p) for p in doc.parts) if isinstance(doc, Text) else doc
        value, _, errors, fatal = embedded.parse_located(text, self.file, [], (1, 1, 1, 1), None)
        if holes:
            value = _map_strings(value, lambda s: _unmark(s, holes))
        return value, LocationMap(self.file, default=whole), [(p, m, whole) for p, m, _ in errors], fatal

    def principal(self, found: Found, key_span: RawSpan) -> None:
        if found.principal is None:
            return
        kind, name = found.principal
        record = self.record(kind, name, key_span)
        for arn in found.managed_arns:
            if arn not in record.managed_policy_arns:
                record.managed_policy_arns.append(arn)
        for ref in found.managed_refs:
            if ref not in record.managed_policy_refs:
                record.managed_policy_refs.append(ref)
        if found.boundary and record.permissions_boundary is None:
            record.permissions_boundary = found.boundary
        for g in found.groups:
            if g not in record.groups:
                record.groups.append(g)
        for cand in found.candidates:
            if cand.kind is not PolicyKind.TRUST and cand.name not in record.inline_policies:
                record.inline_policies.append(cand.name)

    def record(self, kind: str, name: str, span: RawSpan) -> PrincipalRecord:
        key = (kind, name)
        if key not in self.principals:
            self.principals[key] = PrincipalRecord(kind, name, self.span(span))
            self.model.principals.append(self.principals[key])
        return self.principals[key]

    def attach(self) -> None:
        """Policies and managed policies that name their principals (Roles/Users/Groups)."""
        for kind, target, how, name, span in self.attachments:
            lid = _ref_target(target, self.ctx) if isinstance(target, Text) else None
            if lid is None:
                target_name = str(target)
                # A literal name: the template's own principal of that name, else an outside one.
                lid = next((k[1] for k, r in self.principals.items() if k[0] == kind and k[1] == target_name),
                           target_name)
            record = self.record(kind, lid, span)
            bucket = record.managed_policy_refs if how == "managed" else record.inline_policies
            if name not in bucket:
                bucket.append(name)

    def leftover_faults(self) -> None:
        """Faults outside every policy (a duplicate resource id, say) are input errors (CA000):
        CloudFormation rejects the template, so it must not pass quietly."""
        for cid, faults in self.tpl.faults.items():
            for message, fspan in faults:
                if (cid, message, fspan) not in self.consumed:
                    self.model.input_errors.append((self.span(fspan), message))


def _relevant(decisions: list[tuple[str, bool, Path]], path: Path) -> list[tuple[str, bool]]:
    """The Fn::If choices a document at `path` depends on: those inside it or around it."""
    out: list[tuple[str, bool]] = []
    for cond, taken, where in decisions:
        n = min(len(where), len(path))
        if where[:n] == path[:n] and (cond, taken) not in out:
            out.append((cond, taken))
    return out


def _same(a: Policy, b: Policy) -> bool:
    return (a.document == b.document and _shape(a.document) == _shape(b.document)
            and a.locations.values == b.locations.values and a.syntax_errors == b.syntax_errors)


def _shape(value: Any) -> Any:
    """Types as well as values: a Text and a str that print alike are not the same value."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, Text):
        return ("text", value.parts)
    return (type(value).__name__, value)


def _map_strings(value: Any, fn: Callable[[str], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, str):
        return fn(value)
    return value


def _unmark(s: str, holes: list[Any]) -> str:
    if "\ue000" not in s:
        return s
    parts: list[Any] = []
    rest = s
    while "\ue000" in rest:
        before, _, after = rest.partition("\ue000")
        num, _, rest = after.partition("\ue001")
        parts.append(before)
        parts.append(holes[int(num)])
    parts.append(rest)
    return Text(parts)

