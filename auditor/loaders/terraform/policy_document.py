"""`data "aws_iam_policy_document"` to the IAM JSON shape, located at the HCL values.

Mirrors the AWS provider: `statement` blocks (and `dynamic "statement"`) become Statement
entries with Sid, Effect (default Allow), Action, NotAction, Resource, NotResource, Principal,
NotPrincipal and Condition (`{test: {variable: values}}`); `source_policy_documents` and
`override_policy_documents` are merged as the provider's `IAMPolicyDoc.Merge` does. Lists
stay lists as written (the provider prints a one-item list as a string; keeping the list keeps
one path per written element). Also here: `as_document`, which reads any policy-valued
argument (a `jsonencode` object, a heredoc, `file()`, a JSON string) as a located tree.
"""

from __future__ import annotations

from typing import Any

from auditor.loaders.terraform import jsontext
from auditor.loaders.terraform.evaluate import Env, evaluate, iterate
from auditor.loaders.terraform.located import V, scalar_text
from auditor.loaders.terraform.nodes import Block
from auditor.policy.model import Path, Span
from auditor.policy.values import Text

_LISTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
          ("not_resources", "NotResource"))


def expand(parent: Block, type_: str, env: Env) -> list[tuple[Block, Env]]:
    """The `type_` child blocks of `parent`, `dynamic "type_"` blocks expanded, in source order.

    A dynamic block whose for_each is unknown gives one block whose iterator is unknown, so
    its values become holes (a statement of wholly unresolved actions, which rules note)."""
    out: list[tuple[Block, Env]] = []
    for child in parent.blocks:
        if child.type == type_:
            out.append((child, env))
        elif child.type == "dynamic" and child.labels[:1] == [type_]:
            content = child.children("content")
            if not content:
                continue
            it_attr = child.attrs.get("iterator")
            iterator = it_attr.expr.text.strip() if it_attr is not None else type_
            fe = child.attrs.get("for_each")
            coll = evaluate(fe.expr, env) if fe is not None else V(None)
            pairs = iterate(coll)
            if pairs is None:
                from auditor.loaders.terraform.located import hole

                # An unknown iterator: each use of it becomes a hole where it is used.
                out.append((content[0], env.bind(**{iterator: hole(iterator, None)})))
                continue
            for k, v in pairs:
                # A set's key is its value.
                key = v if isinstance(coll.v, list) else k
                out.append((content[0], env.bind(**{iterator: V({"key": key, "value": v})})))
    return out


def _strings(v: V) -> V:
    """The provider's lists are sets of strings: a number or bool written in one is its text."""
    if isinstance(v.v, list):
        return V([_strings(i) for i in v.v], v.span, v.keys, v.doc, v.source)
    if isinstance(v.v, (bool, int, float)):
        return V(scalar_text(v.v), v.span)
    return v


def _str_key(v: V) -> str:
    t = scalar_text(v.v) if not isinstance(v.v, (list, dict)) else None
    return t if t is not None else str(Text([str(v.v)]))


def _statement(block: Block, env: Env) -> V:
    items: dict[str, V] = {}
    keys: dict[str, Span] = {}

    def put(key: str, value: V, key_span: Span) -> None:
        items[key] = value
        keys[key] = key_span

    a = block.attrs
    if "sid" in a:
        sid = evaluate(a["sid"].expr, env)
        if sid.v not in (None, ""):
            put("Sid", sid, a["sid"].name_span)
    if "effect" in a:
        eff = evaluate(a["effect"].expr, env)
        put("Effect", eff if eff.v is not None else V("Allow", a["effect"].span), a["effect"].name_span)
    else:
        put("Effect", V("Allow", block.header), block.header)
    for attr, key in _LISTS[:2]:
        if attr in a:
            val = _strings(evaluate(a[attr].expr, env))
            if val.v is not None:
                put(key, val, a[attr].name_span)
    for attr, key in _LISTS[2:]:
        if attr in a:
            val = _strings(evaluate(a[attr].expr, env))
            if val.v is not None:
                put(key, val, a[attr].name_span)
    for btype, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = expand(block, btype, env)
        if blocks:
            put(key, _principals(blocks), blocks[0][0].header)
    conds = expand(block, "condition", env)
    if conds:
        put("Condition", _conditions(conds), conds[0][0].header)
    return V(items, block.span, keys)


def _principals(blocks: list[tuple[Block, Env]]) -> V:
    out: dict[str, V] = {}
    keys: dict[str, Span] = {}
    first = blocks[0][0]
    for b, env in blocks:
        t = evaluate(b.attrs["type"].expr, env) if "type" in b.attrs else V("", b.header)
        ids = _strings(evaluate(b.attrs["identifiers"].expr, env)) if "identifiers" in b.attrs else V([], b.span)
        ptype = _str_key(t)
        if ptype == "*" and len(blocks) == 1:
            # The provider writes `"Principal": "*"` for type "*".
            if isinstance(ids.v, list) and len(ids.v) == 1:
                return ids.v[0]
            return ids
        if ptype in out and isinstance(out[ptype].v, list) and isinstance(ids.v, list):
            out[ptype] = V(out[ptype].v + ids.v, out[ptype].span)
        else:
            out[ptype] = ids
            if t.span is not None:
                keys[ptype] = t.span
    return V(out, first.span, keys)


def _conditions(blocks: list[tuple[Block, Env]]) -> V:
    out: dict[str, V] = {}
    keys: dict[str, Span] = {}
    first = blocks[0][0]
    for b, env in blocks:
        a = b.attrs
        test = evaluate(a["test"].expr, env) if "test" in a else V("", b.header)
        var = evaluate(a["variable"].expr, env) if "variable" in a else V("", b.header)
        values = _strings(evaluate(a["values"].expr, env)) if "values" in a else V([], b.span)
        tkey, vkey = _str_key(test), _str_key(var)
        group = out.get(tkey)
        if group is None:
            group = out[tkey] = V({}, b.span, {})
            keys[tkey] = test.span or b.header
        assert isinstance(group.v, dict) and group.keys is not None
        if vkey in group.v and isinstance(group.v[vkey].v, list) and isinstance(values.v, list):
            group.v[vkey] = V(group.v[vkey].v + values.v, group.v[vkey].span)
        else:
            group.v[vkey] = values
            group.keys[vkey] = var.span or b.header
    return V(out, first.span, keys)


def _statements_of(doc: V) -> list[V]:
    if not isinstance(doc.v, dict):
        return []
    body = doc.v.get("Statement")
    if body is None:
        return []
    if isinstance(body.v, list):
        return [s for s in body.v if isinstance(s.v, dict)]
    if isinstance(body.v, dict):
        return [body]
    return []


def _sid(st: V) -> str:
    sid = st.v.get("Sid") if isinstance(st.v, dict) else None
    return sid.v if sid is not None and isinstance(sid.v, str) else ""


class _Merged:
    """The provider's IAMPolicyDoc.Merge: a statement with a Sid replaces the one with that Sid."""

    def __init__(self) -> None:
        self.version: V | None = None
        self.id: V | None = None
        self.statements: list[V] = []

    def merge(self, doc: V | None, statements: list[V]) -> None:
        if doc is not None and isinstance(doc.v, dict):
            if "Id" in doc.v and doc.v["Id"].v:
                self.id = doc.v["Id"]
            ver = doc.v.get("Version")
            if ver is not None and (self.version is None or str(ver.v) > str(self.version.v)):
                self.version = ver
        for st in statements:
            sid = _sid(st)
            if sid:
                for i, old in enumerate(self.statements):
                    if _sid(old) == sid:
                        self.statements[i] = st
                        break
                else:
                    self.statements.append(st)
            else:
                self.statements.append(st)


def build(block: Block, env: Env) -> V:
    """The document of a data source, `doc` set (it stands for its `.json`)."""
    errors: list[tuple[Path, str, Span]] = []
    merged = _Merged()
    a = block.attrs

    def docs_of(attr: str) -> list[V]:
        if attr not in a:
            return []
        v = evaluate(a[attr].expr, env)
        items = v.v if isinstance(v.v, list) else [v]
        out = []
        for item in items:
            tree, errs, reason = as_document(item)
            errors.extend(errs)
            if tree is not None:
                out.append(tree)
            elif reason:
                name = f"{env.mod.address}data.{'.'.join(block.labels)}"
                env.mod.root.notes.append((item.span or a[attr].expr.span or a[attr].span,
                                           f"{name}: a document in {attr} cannot be read ({reason}); "
                                           "its statements are not audited"))
        return out

    sources = docs_of("source_json") + docs_of("source_policy_documents")
    for d in sources:
        merged.merge(d, _statements_of(d))
    own = [_statement(b, e) for b, e in expand(block, "statement", env)]
    version = evaluate(a["version"].expr, env) if "version" in a else None
    current = V({"Version": version} if version is not None else {}, block.span)
    if "policy_id" in a:
        current.v["Id"] = evaluate(a["policy_id"].expr, env)
    merged.merge(current, own)
    for d in docs_of("override_json") + docs_of("override_policy_documents"):
        merged.merge(d, _statements_of(d))
    items: dict[str, V] = {}
    keys: dict[str, Span] = {}
    ver = merged.version or V("2012-10-17", block.header)
    items["Version"] = ver
    keys["Version"] = a["version"].name_span if "version" in a else block.header
    if merged.id is not None:
        items["Id"] = merged.id
        keys["Id"] = a["policy_id"].name_span if "policy_id" in a else block.header
    items["Statement"] = V(merged.statements, block.span)
    keys["Statement"] = block.header
    out = V(items, block.span, keys, doc=True)
    out.errors = errors
    return out


def as_document(v: V) -> tuple[V | None, list[tuple[Path, str, Span]], str | None]:
    """A policy-valued argument as a located tree: (tree, parse errors, why there is none)."""
    if v.doc and isinstance(v.v, (dict, list)):
        return v, list(v.errors or []), None
    if v.source is not None:
        tree, errors, fatal = jsontext.parse(v.source)
        return (None if fatal else tree), errors, ("not valid JSON" if fatal else None)
    if isinstance(v.v, dict):
        return v, list(v.errors or []), None  # an object (from jsondecode, or written in .tf.json)
    if isinstance(v.v, Text) and v.v.holes:
        if len(v.v.parts) == 1:
            return None, [], f"`{v.v.parts[0].expr}` is not known before deployment"  # type: ignore[union-attr]
        segs: list[Any] = [p if isinstance(p, str) else (len(p.expr) + 3, V(Text([p]), v.span)) for p in v.v.parts]
        span = v.span
        src = jsontext.JsonSource(segs, span.file if span else "", span.line if span else 1,
                                  span.column if span else 1, exact=False, span=span)
        tree, errors, fatal = jsontext.parse(src)
        return (None if fatal else tree), errors, ("not valid JSON" if fatal else None)
    if isinstance(v.v, str):
        span = v.span
        src = jsontext.plain_source(v.v, span.file if span else "", span.line if span else 1,
                                    span.column if span else 1, span=span, exact=False)
        tree, errors, fatal = jsontext.parse(src)
        return (None if fatal else tree), errors, ("not valid JSON" if fatal else None)
    if v.v is None:
        return None, [], "it is null"
    return None, [], "it is not a JSON document"
