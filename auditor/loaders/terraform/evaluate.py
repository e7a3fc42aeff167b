"""Evaluate HCL expressions as far as the configuration allows, keeping locations.

What is known (literals, variables with defaults or values, locals, local module arguments
and outputs, functions over known values) is computed; what is not (a resource attribute, a
remote module, an unknown function, `terraform.workspace`) becomes a `Hole` that keeps the
expression as written. References to resources whose ARN shape is known get a pattern
(`aws_connect_queue.q.arn` -> `arn:*:connect:*:*:instance/*/queue/*`), and the account, region
and partition data sources are holes the rules recognise as placeholders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.connect.arn_types import arn_pattern
from auditor.loaders.terraform.located import V, concat_strings, failed, hole, plain, scalar_text
from auditor.loaders.terraform.nodes import (
    BinOp, Call, Cond, Expr, ForDirective, ForE, GetAttr, Heredoc, IfDirective, Index, Interp, Lit, ObjectE, Part,
    Splat, Step, Tmpl, Traverse, TupleE, UnOp, Var,
)
from auditor.policy.model import Span
from auditor.policy.values import Hole, Text

if TYPE_CHECKING:
    from auditor.loaders.terraform.modules import Module

# Data sources whose attributes are placeholders for the account, region and partition.
PLACEHOLDER_DATA = {"aws_caller_identity", "aws_region", "aws_partition"}


class Env:
    """Where an expression is evaluated: a module instance and the names bound around it
    (`each`, `count`, a `for` variable, a dynamic block's iterator, templatefile's vars)."""

    __slots__ = ("mod", "bindings", "depth")

    def __init__(self, mod: "Module", bindings: dict[str, V] | None = None, depth: int = 0) -> None:
        self.mod = mod
        self.bindings = bindings or {}
        self.depth = depth

    def bind(self, **names: V) -> "Env":
        b = dict(self.bindings)
        b.update(names)
        return Env(self.mod, b, self.depth)


MAX_DEPTH = 200


def evaluate(expr: Expr, env: Env) -> V:
    if env.depth > MAX_DEPTH:
        return hole(expr.text, expr.span)
    env.depth += 1
    try:
        return _EVAL[type(expr)](expr, env)
    finally:
        env.depth -= 1


def _lit(e: Lit, env: Env) -> V:
    x = e.value
    if isinstance(x, str) and x[:1] in _JSON_START and e.text[:1] == '"' and x.lstrip()[:1] == "{":
        # A JSON document in a quoted string (`"{\"Version\": ...}"`): keep how it is written,
        # so a policy read from it is located inside the string, escapes and all.
        from auditor.loaders.terraform.jsontext import JsonSource

        return V(x, e.span, source=JsonSource([x], e.span.file, e.span.line, e.span.column, span=e.span,
                                              raw=e.text, decoded=x))
    return V(x, e.span)


_JSON_START = frozenset("{ \t\r\n")


def _tuple(e: TupleE, env: Env) -> V:
    return V([evaluate(i, env) for i in e.items], e.span)


def _object(e: ObjectE, env: Env) -> V:
    items: dict[str, V] = {}
    keys: dict[str, Span] = {}
    for k, val in e.items:
        kv = evaluate(k, env)
        key = scalar_text(kv.v) if not isinstance(kv.v, (list, dict)) else None
        if key is None:
            key = str(Text([Hole(k.text)]))
        items[key] = evaluate(val, env)
        keys[key] = k.span
    return V(items, e.span, keys)


def _var(e: Var, env: Env) -> V:
    return resolve(e.name, [], e, env)


def _traverse(e: Traverse, env: Env) -> V:
    if isinstance(e.obj, Var):
        return resolve(e.obj.name, e.steps, e, env)
    base = evaluate(e.obj, env)
    return apply_steps(base, e.steps, e, env)


def apply_steps(base: V, steps: list[Step], e: Expr, env: Env, pattern: str | None = None) -> V:
    cur = base
    for i, step in enumerate(steps):
        if cur.unknown:
            return hole(e.text, e.span, pattern)
        if isinstance(step, Splat):
            items = cur.v if isinstance(cur.v, list) else [] if cur.v is None else [cur]
            rest = steps[i + 1 :]
            return V([apply_steps(item, rest, e, env) for item in items], e.span)
        if isinstance(step, GetAttr):
            if isinstance(cur.v, dict) and step.name in cur.v:
                cur = cur.v[step.name]
                continue
            if isinstance(cur.v, dict) and not _unknown_keys(cur.v):
                return failed(e.text, e.span)  # a known object without it: an error
            return hole(e.text, e.span, pattern)
        key = evaluate(step.key, env)
        if key.unknown:
            return hole(e.text, e.span, pattern)
        if isinstance(cur.v, list) and isinstance(key.v, (int, float)) and not isinstance(key.v, bool):
            idx = int(key.v)
            if 0 <= idx < len(cur.v):
                cur = cur.v[idx]
                continue
            return failed(e.text, e.span)  # out of range
        elif isinstance(cur.v, dict):
            k = scalar_text(key.v)
            if k is not None and k in cur.v:
                cur = cur.v[k]
                continue
            if k is not None and not _unknown_keys(cur.v):
                return failed(e.text, e.span)
        return hole(e.text, e.span, pattern)
    return cur


def _unknown_keys(d: dict[str, V]) -> bool:
    """Whether an object has a key only known at apply (`{(var.k) = ...}`): any key may be it."""
    return any(isinstance(k, Text) and k.holes for k in d)


def _first_attr(steps: list[Step]) -> str | None:
    return steps[0].name if steps and isinstance(steps[0], GetAttr) else None


def resolve(root: str, steps: list[Step], e: Expr, env: Env) -> V:
    """A reference `root.steps...`."""
    if root in env.bindings:
        return apply_steps(env.bindings[root], steps, e, env)
    mod = env.mod
    name = _first_attr(steps)
    if root == "var" and name is not None:
        return _at_use(apply_steps(mod.var_value(name, e), steps[1:], e, env), e)
    if root == "local" and name is not None:
        return _at_use(apply_steps(mod.local_value(name, e), steps[1:], e, env), e)
    if root == "path" and name is not None:
        if name == "module":
            return V(mod.rel, e.span)
        if name == "root":
            return V(".", e.span)
        return hole(e.text, e.span)
    if root == "module" and name is not None:
        return _at_use(mod.module_output(steps, e, env), e)
    if root == "data" and len(steps) >= 2 and isinstance(steps[1], GetAttr) and name is not None:
        return _data(name, steps[1].name, steps[2:], e, env)
    if root in ("terraform", "self", "count", "each"):
        return hole(e.text, e.span)
    if name is not None and "_" in root:
        return _resource(root, name, steps[1:], e, env)
    return hole(e.text, e.span)


def _at_use(value: V, e: Expr) -> V:
    """A reference that ends in one unknown value is shown as written where it is used
    (`${var.instance_arn}/queue/*`, not the caller's expression), keeping any known pattern."""
    if value.unknown and len(value.v.parts) == 1 and not value.failed:
        return hole(e.text, e.span, value.v.parts[0].pattern)
    return value


def _split_instance(steps: list[Step]) -> tuple[Step | None, list[Step]]:
    """`[0].arn` -> (Index 0, [arn]); `[*].arn` -> (Splat, [arn]); `.arn` -> (None, [arn])."""
    if steps and isinstance(steps[0], (Index, Splat)):
        return steps[0], steps[1:]
    return None, steps


def _resource(rtype: str, name: str, steps: list[Step], e: Expr, env: Env) -> V:
    inst, rest = _split_instance(steps)
    attr = _first_attr(rest)
    pattern = arn_pattern(rtype, attr) if attr else None
    if attr is not None and pattern is None and rtype.startswith("aws_iam_"):
        # A literal argument of an IAM resource in this module (`aws_iam_role.agents.name`).
        # Only IAM ones: other resources are not parsed (the pre-filter skips them), and a
        # value must not depend on which file a resource happens to sit in.
        value = env.mod.resource_argument(rtype, name, inst, attr, e)
        if value is not None:
            return apply_steps(value, rest[1:], e, env)
    if isinstance(inst, Splat) and attr:
        return hole(e.text, e.span, pattern)
    return hole(e.text, e.span, pattern if len(rest) == 1 else None)


def _data(dtype: str, name: str, steps: list[Step], e: Expr, env: Env) -> V:
    inst, rest = _split_instance(steps)
    attr = _first_attr(rest)
    if dtype == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        doc = env.mod.policy_document(name, inst, e, env)
        if doc is not None:
            return doc
        return hole(e.text, e.span)
    if dtype in PLACEHOLDER_DATA:
        # The account id, region and partition: placeholders (no glob says "12 digits").
        return hole(e.text, e.span)
    pattern = arn_pattern(dtype, attr) if attr and len(rest) == 1 else None
    return hole(e.text, e.span, pattern)


# --- strings --------------------------------------------------------------------------------
def interp_string(value: V, expr: Expr) -> Any:
    """A value interpolated into a string: str or Text."""
    x = value.v
    if isinstance(x, Text):
        return x
    if value.doc:
        from auditor.loaders.terraform.located import render_json

        return render_json(value)
    text = scalar_text(x)
    if text is not None:
        return text
    return Text([Hole(expr.text)])


def render_parts(parts: list[Part], env: Env, whole: Expr) -> Any:
    out: list[Any] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Interp):
            out.append(interp_string(evaluate(p.expr, env), p.expr))
        elif isinstance(p, IfDirective):
            c = evaluate(p.cond, env)
            if isinstance(c.v, bool):
                out.append(render_parts(p.then if c.v else p.orelse, env, whole))
            else:
                out.append(Text([Hole(whole.text)]))
        elif isinstance(p, ForDirective):
            coll = evaluate(p.collection, env)
            pairs = iterate(coll)
            if pairs is None:
                out.append(Text([Hole(whole.text)]))
                continue
            for k, v in pairs:
                b = {p.value_var: v}
                if p.key_var:
                    b[p.key_var] = k
                out.append(render_parts(p.body, env.bind(**b), whole))
    return concat_strings(out)


def _tmpl(e: Tmpl, env: Env) -> V:
    if len(e.parts) == 1 and isinstance(e.parts[0], Interp):
        # "${x}" alone is x itself, whatever its type.
        v = evaluate(e.parts[0].expr, env)
        if v.span is None or not (isinstance(v.v, (list, dict)) or v.doc):
            out = V(v.v, e.span, v.keys, v.doc, v.source)
            out.failed = v.failed
            return out
        return v
    return V(render_parts(e.parts, env, e), e.span)


def _heredoc(e: Heredoc, env: Env) -> V:
    from auditor.loaders.terraform.jsontext import JsonSource
    from auditor.loaders.terraform.template import has_directives

    rendered = render_parts(e.parts, env, e)
    if e.trim and isinstance(rendered, str) and not isinstance(rendered, Text):
        rendered = _dedent(rendered)
    exact = not has_directives(e.parts)
    if exact:
        segments: list[Any] = []
        for part, start, end in zip(e.parts, e.part_offsets, e.part_ends):
            if isinstance(part, Interp):
                segments.append((end - start, evaluate(part.expr, env)))
            else:
                segments.append(e.body[start:end])
        if e.raw is not None:  # a `.tf.json` string
            source = JsonSource(segments, e.span.file, e.span.line, e.span.column, template=True, span=e.span,
                                raw=e.raw, decoded=e.body)
        else:
            source = JsonSource(segments, e.span.file, e.body_line, e.body_col, template=True, span=e.span)
    else:
        source = JsonSource(_rendered_segments(rendered), e.span.file, e.body_line, e.body_col,
                            template=False, exact=False, span=e.span)
    return V(rendered, e.span, source=source)


def _rendered_segments(rendered: Any) -> list[Any]:
    if isinstance(rendered, Text):
        return [p if isinstance(p, str) else (len(p.expr) + 3, V(Text([p]))) for p in rendered.parts]
    return [rendered]


def _dedent(s: str) -> str:
    lines = s.split("\n")
    indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(ln[cut:] for ln in lines)


# --- operators ------------------------------------------------------------------------------
def _cond(e: Cond, env: Env) -> V:
    c = evaluate(e.cond, env)
    if isinstance(c.v, bool):
        return evaluate(e.then if c.v else e.orelse, env)
    a, b = evaluate(e.then, env), evaluate(e.orelse, env)
    if not a.unknown and plain(a) == plain(b):
        return a
    return hole(e.text, e.span)


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _binop(e: BinOp, env: Env) -> V:
    a = evaluate(e.left, env)
    op = e.op
    if op in ("&&", "||") and isinstance(a.v, bool):
        if op == "&&" and not a.v:
            return V(False, e.span)
        if op == "||" and a.v:
            return V(True, e.span)
        b = evaluate(e.right, env)
        return V(b.v, e.span) if isinstance(b.v, bool) else hole(e.text, e.span)
    b = evaluate(e.right, env)
    x, y = plain(a), plain(b)
    if _has_hole(x) or _has_hole(y):
        return hole(e.text, e.span)  # `[var.a] == ["x"]` is not known to be false
    try:
        if op == "==":
            return V(x == y, e.span)
        if op == "!=":
            return V(x != y, e.span)
        if _num(x) and _num(y):
            r = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "/": lambda: x / y,
                 "%": lambda: x % y, "<": lambda: x < y, ">": lambda: x > y, "<=": lambda: x <= y,
                 ">=": lambda: x >= y}[op]()
            return V(r, e.span)
    except (KeyError, ZeroDivisionError, TypeError):
        pass
    return hole(e.text, e.span)


def _has_hole(x: Any) -> bool:
    if isinstance(x, list):
        return any(_has_hole(i) for i in x)
    if isinstance(x, dict):
        return any(_has_hole(k) or _has_hole(i) for k, i in x.items())
    return isinstance(x, Text) and bool(x.holes)


def _unop(e: UnOp, env: Env) -> V:
    a = evaluate(e.operand, env)
    if e.op == "!" and isinstance(a.v, bool):
        return V(not a.v, e.span)
    if e.op == "-" and _num(a.v):
        return V(-a.v, e.span)
    return hole(e.text, e.span)


def iterate(coll: V) -> list[tuple[V, V]] | None:
    """(key, value) pairs of a known collection, maps in key order; None when unknown."""
    if coll.unknown:
        return None
    if isinstance(coll.v, list):
        return [(V(i, coll.span), item) for i, item in enumerate(coll.v)]
    if isinstance(coll.v, dict):
        keys = coll.keys or {}
        return [(V(k, keys.get(k)), coll.v[k]) for k in sorted(coll.v)]
    if coll.v is None:
        return []
    return None


def _for(e: ForE, env: Env) -> V:
    coll = evaluate(e.collection, env)
    pairs = iterate(coll)
    if pairs is None:
        return hole(e.text, e.span)
    items: list[V] = []
    obj: dict[str, V] = {}
    okeys: dict[str, Span] = {}
    for k, v in pairs:
        b = {e.value_var: v}
        if e.key_var:
            b[e.key_var] = k
        inner = env.bind(**b)
        if e.cond is not None:
            c = evaluate(e.cond, inner)
            if not isinstance(c.v, bool):
                return hole(e.text, e.span)
            if not c.v:
                continue
        if e.key_expr is None:
            items.append(evaluate(e.value_expr, inner))
            continue
        kv = evaluate(e.key_expr, inner)
        key = scalar_text(kv.v) if not isinstance(kv.v, (list, dict)) else None
        if key is None or isinstance(kv.v, Text):
            return hole(e.text, e.span)
        val = evaluate(e.value_expr, inner)
        if e.grouping:
            obj.setdefault(key, V([], e.span)).v.append(val)
        else:
            obj[key] = val
        if kv.span is not None:
            okeys[key] = kv.span
    if e.key_expr is None:
        return V(items, e.span)
    return V(obj, e.span, okeys)


def _call(e: Call, env: Env) -> V:
    from auditor.loaders.terraform.functions import call

    return call(e, env)


_EVAL: dict[type, Any] = {
    Lit: _lit, TupleE: _tuple, ObjectE: _object, Var: _var, Traverse: _traverse, Tmpl: _tmpl,
    Heredoc: _heredoc, Cond: _cond, BinOp: _binop, UnOp: _unop, ForE: _for, Call: _call,
}
