"""Terraform's built-in functions, over located values.

Collection functions (`concat`, `flatten`, `distinct`, `merge`, `lookup`...) move the items'
`V`s, so an action taken from a local through `concat()` still points at the local's string.
A function over unknown arguments, or one not implemented here, is a hole with its call text.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable

from auditor.loaders.terraform.evaluate import Env, evaluate, interp_string
from auditor.loaders.terraform.located import (
    V, concat_strings, failed, from_plain, hole, plain, render_json, scalar_text,
)
from auditor.loaders.terraform.nodes import Call
from auditor.policy.values import Text


class _Unknown(Exception):
    """An argument is not known: the call is a hole."""


def call(e: Call, env: Env) -> V:
    name = e.name
    if name == "try":
        return _try(e, env)
    if name == "can":
        for a in e.args:
            v = evaluate(a, env)
            if v.failed:
                return V(False, e.span)
            if v.unknown:
                return hole(e.text, e.span)
        return V(True, e.span)
    fn = FUNCTIONS.get(name)
    if fn is None:
        return hole(e.text, e.span)
    args = [evaluate(a, env) for a in e.args]
    if any(a.failed for a in args):
        return failed(e.text, e.span)  # an argument's error is the call's
    if e.expand_last and args:
        last = args.pop()
        if not isinstance(last.v, list):
            return hole(e.text, e.span)
        args.extend(last.v)
    try:
        out = fn(e, env, args)
    except _Unknown:
        return hole(e.text, e.span)
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, AttributeError, OverflowError,
            re.error):  # re.error: RE2 syntax Python does not read (`(?<name>...)`)
        return hole(e.text, e.span)
    return out


def _try(e: Call, env: Env) -> V:
    """The first argument that evaluates without an error. One that is unknown until apply
    (`aws_s3_bucket.b.arn`) may or may not fail then, so the result is unknown too: a hole
    for the whole call, never a later argument (Terraform's try returns unknown likewise)."""
    for a in e.args:
        v = evaluate(a, env)
        if v.failed:
            continue
        if v.unknown:
            break
        return v
    return hole(e.text, e.span)


# --- helpers ---------------------------------------------------------------------------------
def _known(v: V) -> Any:
    """The plain value; unknown anywhere inside raises."""
    if v.unknown:
        raise _Unknown
    x = plain(v)
    _check(x)
    return x


def _check(x: Any) -> None:
    if isinstance(x, Text) and x.holes:
        raise _Unknown
    if isinstance(x, list):
        for i in x:
            _check(i)
    elif isinstance(x, dict):
        for i in x.values():
            _check(i)


def _str(v: V) -> str:
    if v.unknown:
        raise _Unknown
    t = scalar_text(v.v)
    if t is None:
        raise TypeError("not a string")
    return t


def _list(v: V) -> list[V]:
    if v.unknown:
        raise _Unknown
    if isinstance(v.v, list):
        return v.v
    if isinstance(v.v, dict):
        return [v.v[k] for k in sorted(v.v)]
    raise TypeError("not a list")


def _out(x: Any, e: Call) -> V:
    return from_plain(x, e.span)


Fn = Callable[[Call, Env, list[V]], V]
FUNCTIONS: dict[str, Fn] = {}


def fn(*names: str) -> Callable[[Fn], Fn]:
    def deco(f: Fn) -> Fn:
        for n in names:
            FUNCTIONS[n] = f
        return f

    return deco


# --- encoding --------------------------------------------------------------------------------
@fn("jsonencode")
def _jsonencode(e: Call, env: Env, args: list[V]) -> V:
    v = args[0]
    if v.unknown:
        raise _Unknown
    # The JSON text of the value; `doc` keeps the located tree so a policy reads it directly.
    if isinstance(v.v, (list, dict)):
        return V(v.v, v.span or e.span, v.keys, doc=True)
    return V(render_json(v), e.span)


@fn("jsondecode")
def _jsondecode(e: Call, env: Env, args: list[V]) -> V:
    v = args[0]
    if v.doc:
        return V(v.v, v.span, v.keys)
    if v.source is not None:
        from auditor.loaders.terraform import jsontext

        tree, errors, fatal = jsontext.parse(v.source)
        if tree is not None and not fatal:
            tree.errors = errors
            return tree
    if isinstance(v.v, Text):
        raise _Unknown
    return _out(json.loads(_str(v)), e)


@fn("yamldecode")
def _yamldecode(e: Call, env: Env, args: list[V]) -> V:
    raise _Unknown


@fn("tostring")
def _tostring(e: Call, env: Env, args: list[V]) -> V:
    v = args[0]
    if isinstance(v.v, Text):
        return v
    return V(_str(v), v.span or e.span)


@fn("tonumber")
def _tonumber(e: Call, env: Env, args: list[V]) -> V:
    x = _known(args[0])
    return V(x if isinstance(x, (int, float)) else float(x) if "." in str(x) else int(x), e.span)


@fn("tobool")
def _tobool(e: Call, env: Env, args: list[V]) -> V:
    x = _known(args[0])
    return V(x if isinstance(x, bool) else {"true": True, "false": False}[str(x)], e.span)


@fn("tolist", "tomap")
def _identity(e: Call, env: Env, args: list[V]) -> V:
    if args[0].unknown:
        raise _Unknown
    return args[0]


@fn("toset")
def _toset(e: Call, env: Env, args: list[V]) -> V:
    items = _list(args[0])
    seen: dict[Any, V] = {}
    for item in items:
        key = json.dumps(plain(item), sort_keys=True, default=str)
        seen.setdefault(key, item)
    # Terraform orders a set of strings lexically.
    ordered = sorted(seen.values(), key=lambda i: str(plain(i)))
    return V(ordered, args[0].span or e.span)


# --- strings ---------------------------------------------------------------------------------
_FORMAT = re.compile(r"%(?:(%)|(?:\[(\d+)\])?([-+ #0]*\d*(?:\.\d+)?)([vdsfqtTbeEgGoxXc]))")


def _format(fmt: str, args: list[V], e: Call) -> Any:
    out: list[Any] = []
    pos = 0
    nxt = 0
    for m in _FORMAT.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        if m.group(1):
            out.append("%")
            continue
        if m.group(2):
            nxt = int(m.group(2)) - 1
        arg = args[nxt]
        nxt += 1
        verb = m.group(4)
        flags = m.group(3)
        if isinstance(arg.v, Text):
            out.append(arg.v)
            continue
        x = plain(arg)
        if verb in ("s", "v"):
            out.append(scalar_text(x) if scalar_text(x) is not None else json.dumps(x))
        elif verb == "q":
            out.append(json.dumps(scalar_text(x)))
        elif verb == "d":
            out.append(("%" + flags + "d") % int(x))
        elif verb in "feEgG":
            out.append(("%" + flags + verb) % float(x))
        elif verb == "t":
            out.append("true" if x else "false")
        else:
            out.append(str(x))
    out.append(fmt[pos:])
    return concat_strings(out)


@fn("format")
def _format_fn(e: Call, env: Env, args: list[V]) -> V:
    return V(_format(_str(args[0]), args[1:], e), e.span)


@fn("formatlist")
def _formatlist(e: Call, env: Env, args: list[V]) -> V:
    fmt = _str(args[0])
    lists = [a for a in args[1:] if isinstance(a.v, list)]
    if any(a.unknown for a in args[1:]):
        raise _Unknown
    n = len(lists[0].v) if lists else 1
    rows = []
    for i in range(n):
        row = [a.v[i] if isinstance(a.v, list) else a for a in args[1:]]
        rows.append(V(_format(fmt, row, e), e.span))
    return V(rows, e.span)


@fn("join")
def _join(e: Call, env: Env, args: list[V]) -> V:
    sep = _str(args[0])
    items: list[Any] = []
    for lst in args[1:]:
        for item in _list(lst):
            if items:
                items.append(sep)
            items.append(interp_string(item, e))
    return V(concat_strings(items), e.span)


@fn("split")
def _split(e: Call, env: Env, args: list[V]) -> V:
    sep, s = _str(args[0]), _str(args[1])
    return V([V(p, e.span) for p in s.split(sep)], e.span)


def _str_fn(f: Callable[..., Any]) -> Fn:
    def run(e: Call, env: Env, args: list[V]) -> V:
        return V(f(*[_known(a) for a in args]), e.span)

    return run


FUNCTIONS.update({
    "lower": _str_fn(lambda s: s.lower()),
    "upper": _str_fn(lambda s: s.upper()),
    "title": _str_fn(lambda s: s.title()),
    "trimspace": _str_fn(lambda s: s.strip()),
    "trim": _str_fn(lambda s, c: s.strip(c)),
    "trimprefix": _str_fn(lambda s, p: s[len(p):] if s.startswith(p) else s),
    "trimsuffix": _str_fn(lambda s, p: s[: -len(p)] if p and s.endswith(p) else s),
    "chomp": _str_fn(lambda s: s.rstrip("\r\n")),
    "indent": _str_fn(lambda n, s: s.replace("\n", "\n" + " " * n)),
    "strrev": _str_fn(lambda s: s[::-1]),
    "substr": _str_fn(lambda s, o, n: s[o:] if n < 0 else s[o:o + n]),
    "md5": _str_fn(lambda s: __import__("hashlib").md5(s.encode()).hexdigest()),
    "sha1": _str_fn(lambda s: __import__("hashlib").sha1(s.encode()).hexdigest()),
    "sha256": _str_fn(lambda s: __import__("hashlib").sha256(s.encode()).hexdigest()),
    "base64encode": _str_fn(lambda s: __import__("base64").b64encode(s.encode()).decode()),
    "base64decode": _str_fn(lambda s: __import__("base64").b64decode(s).decode()),
    "abs": _str_fn(lambda x: abs(x)),
    "max": _str_fn(lambda *x: max(x)),
    "min": _str_fn(lambda *x: min(x)),
    "startswith": _str_fn(lambda s, p: s.startswith(p)),
    "endswith": _str_fn(lambda s, p: s.endswith(p)),
    "strcontains": _str_fn(lambda s, p: p in s),
})


@fn("replace")
def _replace(e: Call, env: Env, args: list[V]) -> V:
    s, old, new = (_str(a) for a in args[:3])
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        # Terraform's regex form; `$1` references become Python's `\1`.
        return V(re.sub(old[1:-1], re.sub(r"\$\{?(\d+)\}?", r"\\\1", new), s), e.span)
    return V(s.replace(old, new), e.span)


@fn("regex")
def _regex(e: Call, env: Env, args: list[V]) -> V:
    m = re.search(_str(args[0]), _str(args[1]))
    if not m:
        raise ValueError("no match")
    if m.groupdict():
        return _out(m.groupdict(), e)
    if m.groups():
        return _out(list(m.groups()), e)
    return V(m.group(0), e.span)


# --- collections ----------------------------------------------------------------------------
@fn("concat")
def _concat(e: Call, env: Env, args: list[V]) -> V:
    out: list[V] = []
    for a in args:
        out.extend(_list(a))
    return V(out, e.span)


@fn("flatten")
def _flatten(e: Call, env: Env, args: list[V]) -> V:
    out: list[V] = []

    def walk(v: V) -> None:
        if v.unknown:
            raise _Unknown
        if isinstance(v.v, list):
            for i in v.v:
                walk(i)
        else:
            out.append(v)

    walk(args[0])
    return V(out, e.span)


@fn("distinct")
def _distinct(e: Call, env: Env, args: list[V]) -> V:
    seen: set[str] = set()
    out: list[V] = []
    for item in _list(args[0]):
        key = json.dumps(plain(item), sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return V(out, args[0].span or e.span)


@fn("compact")
def _compact(e: Call, env: Env, args: list[V]) -> V:
    return V([i for i in _list(args[0]) if i.v not in (None, "")], args[0].span or e.span)


@fn("sort")
def _sort(e: Call, env: Env, args: list[V]) -> V:
    items = _list(args[0])
    if any(i.unknown for i in items):
        raise _Unknown
    return V(sorted(items, key=lambda i: str(i.v)), args[0].span or e.span)


@fn("reverse")
def _reverse(e: Call, env: Env, args: list[V]) -> V:
    return V(list(reversed(_list(args[0]))), e.span)


@fn("slice")
def _slice(e: Call, env: Env, args: list[V]) -> V:
    return V(_list(args[0])[_known(args[1]) : _known(args[2])], e.span)


@fn("length")
def _length(e: Call, env: Env, args: list[V]) -> V:
    v = args[0]
    if v.unknown:
        raise _Unknown
    if isinstance(v.v, (list, dict, str)):
        return V(len(v.v), e.span)
    raise TypeError


@fn("element")
def _element(e: Call, env: Env, args: list[V]) -> V:
    items = _list(args[0])
    return items[int(_known(args[1])) % len(items)]


@fn("index")
def _index(e: Call, env: Env, args: list[V]) -> V:
    return V([plain(i) for i in _list(args[0])].index(_known(args[1])), e.span)


@fn("contains")
def _contains(e: Call, env: Env, args: list[V]) -> V:
    return V(_known(args[1]) in [_known(i) for i in _list(args[0])], e.span)


@fn("coalesce")
def _coalesce(e: Call, env: Env, args: list[V]) -> V:
    for a in args:
        if a.unknown:
            raise _Unknown
        if a.v not in (None, ""):
            return a
    raise ValueError


@fn("coalescelist")
def _coalescelist(e: Call, env: Env, args: list[V]) -> V:
    for a in args:
        if _list(a):
            return a
    return V([], e.span)


@fn("merge")
def _merge(e: Call, env: Env, args: list[V]) -> V:
    out: dict[str, V] = {}
    keys: dict[str, Any] = {}
    for a in args:
        if a.unknown:
            raise _Unknown
        if a.v is None:
            continue
        if not isinstance(a.v, dict):
            raise TypeError
        out.update(a.v)
        keys.update(a.keys or {})
    return V(out, e.span, keys)


@fn("lookup")
def _lookup(e: Call, env: Env, args: list[V]) -> V:
    m = args[0]
    if m.unknown:
        raise _Unknown
    k = _str(args[1])
    if isinstance(m.v, dict) and k in m.v:
        return m.v[k]
    if isinstance(m.v, dict) and any(isinstance(x, Text) and x.holes for x in m.v):
        raise _Unknown  # a key known only at apply (`{(var.k) = ...}`) may be `k`
    if len(args) > 2:
        return args[2]
    raise KeyError(k)


@fn("keys")
def _keys(e: Call, env: Env, args: list[V]) -> V:
    m = args[0]
    if m.unknown or not isinstance(m.v, dict):
        raise _Unknown
    ks = m.keys or {}
    return V([V(k, ks.get(k, e.span)) for k in sorted(m.v)], e.span)


@fn("values")
def _values(e: Call, env: Env, args: list[V]) -> V:
    m = args[0]
    if m.unknown or not isinstance(m.v, dict):
        raise _Unknown
    return V([m.v[k] for k in sorted(m.v)], e.span)


@fn("zipmap")
def _zipmap(e: Call, env: Env, args: list[V]) -> V:
    ks, vs = _list(args[0]), _list(args[1])
    return V({_str(k): v for k, v in zip(ks, vs)}, e.span, {_str(k): k.span for k, v in zip(ks, vs) if k.span})


@fn("setunion")
def _setunion(e: Call, env: Env, args: list[V]) -> V:
    return _distinct(e, env, [V([i for a in args for i in _list(a)], e.span)])


@fn("range")
def _range(e: Call, env: Env, args: list[V]) -> V:
    return _out(list(range(*[int(_known(a)) for a in args])), e)


@fn("one")
def _one(e: Call, env: Env, args: list[V]) -> V:
    items = _list(args[0])
    if len(items) > 1:
        raise ValueError
    return items[0] if items else V(None, e.span)


# --- files -----------------------------------------------------------------------------------
def _read(env: Env, path: str) -> tuple[str, str]:
    """(text, display path) of a file named relative to the root module's folder."""
    from auditor.loaders.base import display_path

    p = Path(path)
    full = p if p.is_absolute() else env.mod.root.dir / p
    full = Path(os.path.normpath(full))
    text = full.read_text(encoding="utf-8")
    env.mod.root.consumed.add(full.resolve())
    return text, display_path(full)


@fn("file")
def _file(e: Call, env: Env, args: list[V]) -> V:
    from auditor.loaders.terraform.jsontext import plain_source

    try:
        text, shown = _read(env, _str(args[0]))
    except (OSError, UnicodeDecodeError):
        raise _Unknown from None
    return V(text, e.span, source=plain_source(text, shown, span=e.span))


@fn("fileexists")
def _fileexists(e: Call, env: Env, args: list[V]) -> V:
    p = Path(_str(args[0]))
    return V((p if p.is_absolute() else env.mod.root.dir / p).is_file(), e.span)


@fn("fileset")
def _fileset(e: Call, env: Env, args: list[V]) -> V:
    """The files under a folder (relative to the root module's) that match a glob, sorted."""
    base, pattern = Path(_str(args[0])), _str(args[1])
    if "{" in pattern or "[" in pattern:
        raise _Unknown  # alternatives and classes: Terraform's glob, not Python's
    full = Path(os.path.normpath(base if base.is_absolute() else env.mod.root.dir / base))
    names = sorted({p.relative_to(full).as_posix() for p in full.glob(pattern) if p.is_file()})
    return _out(names, e)


@fn("templatefile")
def _templatefile(e: Call, env: Env, args: list[V]) -> V:
    from auditor.loaders.terraform.jsontext import JsonSource
    from auditor.loaders.terraform.parse import template_parts
    from auditor.loaders.terraform.evaluate import render_parts
    from auditor.loaders.terraform.nodes import Interp
    from auditor.loaders.terraform.template import has_directives

    try:
        text, shown = _read(env, _str(args[0]))
    except (OSError, UnicodeDecodeError):
        raise _Unknown from None
    variables = args[1] if len(args) > 1 else V({}, e.span)
    if variables.unknown or not isinstance(variables.v, dict):
        raise _Unknown
    parts, offsets, ends = template_parts(text, shown, 1, 1)
    # A template sees only the variables passed to it.
    inner = Env(env.mod, dict(variables.v), env.depth)
    rendered = render_parts(parts, inner, e)
    if has_directives(parts):
        source = JsonSource([str(rendered)], shown, 1, 1, exact=False, span=e.span)
    else:
        segs: list[Any] = []
        for part, start, end in zip(parts, offsets, ends):
            segs.append((end - start, evaluate(part.expr, inner)) if isinstance(part, Interp) else text[start:end])
        source = JsonSource(segs, shown, 1, 1, template=True, span=e.span)
    return V(rendered, e.span, source=source)
