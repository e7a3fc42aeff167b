"""Resolve CloudFormation intrinsic functions as far as the template lets us, keeping locations.

`Resolver.resolve` turns a template value into plain data: `Ref` to parameters (from
`--parameters`, else their `Default`), `Fn::Sub` (both forms), `Fn::Join`, `Fn::Select`,
`Fn::Split`, `Fn::FindInMap` and `Fn::If` (one branch per run: `Resolution.decisions` says
which were taken, so the caller can run again with the other branch). Everything that only
deployment knows (`Fn::ImportValue`, `Fn::GetAtt`, resource `Ref`s, most pseudo parameters)
becomes a `Text` hole that keeps the expression; a Connect ARN attribute gets its ARN glob so
rules can still check `${Instance.Arn}/user/*`. Each resolved value's source span is recorded
under its path in the output.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from auditor.connect.arn_types import arn_pattern
from auditor.policy.model import Path
from auditor.policy.values import Hole, Text, unresolved

from .yaml_marks import RawSpan, Template


class _NoValue:
    """`Ref: AWS::NoValue`: the property or list item is removed."""

    def __repr__(self) -> str:
        return "NOVALUE"


NOVALUE: Any = _NoValue()

# Pseudo parameters fixed to a value. Nearly every account is in the `aws` partition, and the
# value only ever fills an ARN's partition field or a service principal's domain: resolving it
# keeps `arn:${AWS::Partition}:connect:...` a literal ARN that rules can check in full, where a
# hole would leave the service and resource parts unverifiable. `--parameters
# AWS::Partition=aws-cn` overrides it. The other pseudo parameters (account, region, stack)
# stay holes: guessing them would make rules report a mismatch the template does not have.
_FIXED_PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_PSEUDO = {"AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs",
           "AWS::NoValue", *_FIXED_PSEUDO}
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
MAX_EXPR = 80


@dataclass
class TemplateContext:
    """What every resolution in one template shares."""

    template: Template
    parameters: dict[str, str]
    declared: dict[str, Any] = field(default_factory=dict)  # the Parameters section
    mappings: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)  # logical id -> type

    @classmethod
    def of(cls, template: Template, parameters: dict[str, str]) -> "TemplateContext":
        top = template.value if isinstance(template.value, dict) else {}
        declared = top.get("Parameters") if isinstance(top.get("Parameters"), dict) else {}
        mappings = top.get("Mappings") if isinstance(top.get("Mappings"), dict) else {}
        resources: dict[str, str] = {}
        res = top.get("Resources")
        if isinstance(res, dict):
            for lid, body in res.items():
                if isinstance(body, dict) and isinstance(body.get("Type"), str):
                    resources[lid] = body["Type"]
        return cls(template, dict(parameters), declared, mappings, resources)


@dataclass
class Resolution:
    """Locations and choices of one resolution of a value (one run over its `Fn::If`s)."""

    values: dict[Path, RawSpan] = field(default_factory=dict)
    keys: dict[Path, RawSpan] = field(default_factory=dict)
    # How a string at a path was written: ("str", text, span, style) or, for Fn::Sub,
    # ("sub", template text, span, style, variables): embedded JSON documents are parsed
    # from this source rather than from the resolved string, to keep their locations.
    origins: dict[Path, tuple[Any, ...]] = field(default_factory=dict)
    # Output list index -> index in the template (they differ once AWS::NoValue drops items).
    src_index: dict[Path, int] = field(default_factory=dict)
    # (condition, branch taken, output path of the Fn::If) in the order met.
    decisions: list[tuple[str, bool, Path]] = field(default_factory=list)
    # Conditions this run chose (True) because the assignment did not say.
    new_conditions: list[str] = field(default_factory=list)
    # Faults recorded while reading (duplicate keys) met in this value: (container path,
    # message, span, container id).
    faults: list[tuple[Path, str, RawSpan, int]] = field(default_factory=list)


class Resolver:
    def __init__(self, ctx: TemplateContext, assignment: dict[str, bool] | None = None) -> None:
        self.ctx = ctx
        self.children = ctx.template.children
        self.assignment = dict(assignment or {})
        self.res = Resolution()
        self._quiet = 0  # > 0 while resolving function arguments: record no locations
        self._anchor: Path = ()

    # --- values -------------------------------------------------------------------------------
    def resolve(self, value: Any, span: RawSpan, style: str | None, path: Path) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                name = next(iter(value))
                if name == "Ref" or name.startswith("Fn::"):
                    return self._function(value, name, span, path)
            return self._mapping(value, span, path)
        if isinstance(value, list):
            return self._list(value, span, path)
        if not self._quiet:
            self.res.values[path] = span
            if isinstance(value, str):
                self.res.origins[path] = ("str", value, span, style)
        return value

    def _mapping(self, value: dict[str, Any], span: RawSpan, path: Path) -> dict[str, Any]:
        table = self.children.get(id(value)) or {}
        if not self._quiet:
            self.res.values[path] = span
            for message, fspan in self.ctx.template.faults.get(id(value), ()):
                self.res.faults.append((path, message, fspan, id(value)))
        out: dict[str, Any] = {}
        for k, v in value.items():
            kspan, vspan, vstyle = table.get(k, (None, span, None))
            r = self.resolve(v, vspan, vstyle, path + (k,))
            if r is NOVALUE:
                continue
            out[k] = r
            if not self._quiet:
                self.res.keys[path + (k,)] = kspan or vspan
        return out

    def _list(self, value: list[Any], span: RawSpan, path: Path) -> list[Any]:
        table = self.children.get(id(value)) or ()
        if not self._quiet:
            self.res.values[path] = span
            for message, fspan in self.ctx.template.faults.get(id(value), ()):
                self.res.faults.append((path, message, fspan, id(value)))
        out: list[Any] = []
        for i, v in enumerate(value):
            _, vspan, vstyle = table[i] if i < len(table) else (None, span, None)
            p = path + (len(out),)
            r = self.resolve(v, vspan, vstyle, p)
            if r is NOVALUE:
                continue
            if not self._quiet:
                self.res.src_index[p] = i
            out.append(r)
        return out

    def quiet(self, value: Any, span: RawSpan, style: str | None = None) -> Any:
        """Resolve a function's argument: its value matters, its locations do not."""
        self._quiet += 1
        try:
            return self.resolve(value, span, style, self._anchor)
        finally:
            self._quiet -= 1

    def _arg(self, fn: dict[str, Any], name: str, span: RawSpan) -> tuple[Any, RawSpan, str | None]:
        table = self.children.get(id(fn)) or {}
        _, aspan, astyle = table.get(name, (None, span, None))
        return fn[name], aspan, astyle

    def _items(self, arg: Any, span: RawSpan) -> list[tuple[Any, RawSpan, str | None]]:
        table = self.children.get(id(arg)) or ()
        return [(v, table[i][1], table[i][2]) if i < len(table) else (v, span, None) for i, v in enumerate(arg)]

    # --- functions ----------------------------------------------------------------------------
    def _function(self, fn: dict[str, Any], name: str, span: RawSpan, path: Path) -> Any:
        arg, aspan, astyle = self._arg(fn, name, span)
        if name == "Fn::If":
            return self._if(fn, arg, aspan, span, path)
        if name == "Fn::FindInMap":
            found = self._find_in_map(arg, aspan, path)
            if found is not None:
                return found
        outer_anchor = self._anchor
        if not self._quiet:
            self._anchor = path
        try:
            result = self._evaluate(fn, name, arg, aspan, astyle, span)
        finally:
            self._anchor = outer_anchor
        if result is NOVALUE:
            return result
        if not self._quiet:
            origin = self.res.origins.get(path) if name == "Fn::Sub" else None
            # Fn::Sub is located at its template string (in the list form, not at the tag
            # that opens the list, which may sit lines above it).
            self.res.values[path] = origin[2] if origin and origin[0] == "sub" else span
            if isinstance(result, list):
                for i in range(len(result)):
                    self.res.values[path + (i,)] = span
        return result

    def _evaluate(self, fn: dict[str, Any], name: str, arg: Any, aspan: RawSpan, astyle: str | None,
                  span: RawSpan) -> Any:
        if name == "Ref":
            return self.ref(arg, "!Ref " + arg) if isinstance(arg, str) else self._hole(fn)
        if name == "Fn::Sub":
            return self._sub(fn, arg, aspan, astyle, span)
        if name == "Fn::Join":
            return self._join(fn, arg, aspan)
        if name == "Fn::Select":
            return self._select(fn, arg, aspan)
        if name == "Fn::Split":
            return self._split(fn, arg, aspan)
        if name == "Fn::GetAtt":
            return self._getatt(fn, arg, aspan)
        if name == "Fn::ImportValue":
            target = self.quiet(arg, aspan, astyle)
            shown = str(target) if isinstance(target, str) else _compact(arg)
            return unresolved("!ImportValue " + shown)
        # Fn::Base64, Fn::GetAZs, Fn::Cidr, Fn::Length, Fn::ToJsonString, Fn::Transform,
        # condition functions and FindInMap misses: known only at deployment.
        return self._hole(fn)

    def _hole(self, fn: dict[str, Any]) -> Text:
        name = next(iter(fn))
        short = "!" + (name[4:] if name.startswith("Fn::") else name)
        return unresolved(f"{short} {_compact(fn[name])}")

    def ref(self, name: str, expr: str) -> Any:
        """What `Ref: name` (or `${name}` in Fn::Sub, with `expr` the name) stands for."""
        declared = self.ctx.declared.get(name)
        if isinstance(declared, dict):
            ptype = str(declared.get("Type", "String"))
            if ptype.startswith("AWS::SSM::Parameter::Value"):
                return unresolved(expr)  # the value lives in Parameter Store, not here
            if name in self.ctx.parameters:
                raw: Any = self.ctx.parameters[name]
            elif "Default" in declared:
                raw = declared["Default"]
            else:
                return unresolved(expr)
            if ptype == "CommaDelimitedList" or ptype.startswith("List<"):
                if isinstance(raw, list):
                    return [_scalar_text(x) for x in raw]
                return _scalar_text(raw).split(",")
            return _scalar_text(raw)
        if name in _PSEUDO:
            if name == "AWS::NoValue":
                return NOVALUE
            if name in self.ctx.parameters:
                return self.ctx.parameters[name]
            if name in _FIXED_PSEUDO:
                return _FIXED_PSEUDO[name]
            return unresolved(expr)
        rtype = self.ctx.resources.get(name)
        if rtype is not None:
            return unresolved(expr, arn_pattern(rtype, "Ref"))
        return unresolved(expr)

    def getatt(self, resource: str, attribute: str, expr: str) -> Text:
        rtype = self.ctx.resources.get(resource)
        return unresolved(expr, arn_pattern(rtype, attribute) if rtype else None)

    def _getatt(self, fn: dict[str, Any], arg: Any, aspan: RawSpan) -> Any:
        if isinstance(arg, str) and "." in arg:
            resource, attribute = arg.split(".", 1)
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            resource = arg[0]
            attr = self.quiet(arg[1], aspan)
            if not isinstance(attr, str) or isinstance(attr, Text):
                return unresolved(f"!GetAtt {resource}.{attr}")
            attribute = attr
        else:
            return self._hole(fn)
        return self.getatt(resource, attribute, f"!GetAtt {resource}.{attribute}")

    def _if(self, fn: dict[str, Any], arg: Any, aspan: RawSpan, span: RawSpan, path: Path) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return self._hole(fn)
        cond = arg[0]
        taken = self.assignment.get(cond)
        if taken is None:
            taken = True
            self.assignment[cond] = True
            self.res.new_conditions.append(cond)
        self.res.decisions.append((cond, taken, self._anchor if self._quiet else path))
        branch, bspan, bstyle = self._items(arg, aspan)[1 if taken else 2]
        return self.resolve(branch, bspan, bstyle, path)

    def _sub(self, fn: dict[str, Any], arg: Any, aspan: RawSpan, astyle: str | None, span: RawSpan) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, str):
            template, tspan, tstyle = arg, aspan, astyle
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            (template, tspan, tstyle), (vars_raw, vspan, _) = self._items(arg, aspan)
            vtable = self.children.get(id(vars_raw)) or {}
            for k, v in vars_raw.items():
                variables[k] = self.quiet(v, vtable[k][1] if k in vtable else vspan)
        else:
            return self._hole(fn)
        if not self._quiet:
            self.res.origins[self._anchor] = ("sub", template, tspan, tstyle, variables)
        return self.substitute(template, variables)

    def substitute(self, template: str, variables: dict[str, Any]) -> str:
        """Fn::Sub's text: `${!x}` is the literal `${x}`; other `${...}` are looked up."""
        parts: list[str | Hole] = []
        pos = 0
        for m in _SUB_VAR.finditer(template):
            parts.append(template[pos:m.start()])
            pos = m.end()
            inner = m.group(1)
            if inner.startswith("!"):
                parts.append("${" + inner[1:] + "}")
                continue
            name = inner.strip()
            if name in variables:
                v = variables[name]
            elif "." in name and name not in self.ctx.declared:
                resource, attribute = name.split(".", 1)
                v = self.getatt(resource, attribute, name)
            else:
                v = self.ref(name, name)
            if isinstance(v, str):
                parts.append(v)
            else:  # a list, AWS::NoValue or a number: Sub cannot use it as written
                parts.append(Hole(name))
        parts.append(template[pos:])
        return _text(parts)

    def _join(self, fn: dict[str, Any], arg: Any, aspan: RawSpan) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._hole(fn)
        (d, dspan, dstyle), (items, ispan, istyle) = self._items(arg, aspan)
        delim = self.quiet(d, dspan, dstyle)
        values = self.quiet(items, ispan, istyle)
        if not isinstance(delim, str) or isinstance(delim, Text) or not isinstance(values, list):
            return self._hole(fn)
        parts: list[str | Hole] = []
        for i, v in enumerate(values):
            if i:
                parts.append(delim)
            if isinstance(v, str):
                parts.append(v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                parts.append(str(v))
            else:
                parts.append(Hole(_compact(v)))
        return _text(parts)

    def _select(self, fn: dict[str, Any], arg: Any, aspan: RawSpan) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._hole(fn)
        (i, ispan, istyle), (items, lspan, lstyle) = self._items(arg, aspan)
        index = self.quiet(i, ispan, istyle)
        values = self.quiet(items, lspan, lstyle)
        try:
            k = int(index)
        except (TypeError, ValueError):
            return self._hole(fn)
        if isinstance(values, list) and 0 <= k < len(values):
            return values[k]
        return self._hole(fn)

    def _split(self, fn: dict[str, Any], arg: Any, aspan: RawSpan) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return self._hole(fn)
        (d, dspan, dstyle), (s, sspan, sstyle) = self._items(arg, aspan)
        delim = self.quiet(d, dspan, dstyle)
        source = self.quiet(s, sspan, sstyle)
        # A hole may hold the delimiter, so a partly known string splits into an unknown list.
        if isinstance(delim, str) and delim and isinstance(source, str) and not isinstance(source, Text):
            return source.split(delim)
        return self._hole(fn)

    def _find_in_map(self, arg: Any, aspan: RawSpan, path: Path) -> Any:
        """The mapping's value, located where the Mappings section writes it; None if unknown."""
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            return None
        items = self._items(arg, aspan)
        names = [self.quiet(v, s, st) for v, s, st in items[:3]]
        if not all(isinstance(n, str) and not isinstance(n, Text) for n in names):
            return None
        # Fn::FindInMap's fourth argument (language extensions): {DefaultValue: ...}.
        default = items[3] if len(items) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3] else None
        node: Any = self.ctx.mappings
        span: RawSpan | None = None
        style: str | None = None
        for n in names:
            if not isinstance(node, dict) or n not in node:
                if default is None:
                    return None
                value, dspan, dstyle = self._arg(default[0], "DefaultValue", default[1])
                return self.resolve(value, dspan, dstyle, path)
            table = self.children.get(id(node)) or {}
            if n in table:
                _, span, style = table[n]
            node = node[n]
        return self.resolve(node, span or aspan, style, path)


def _text(parts: list[str | Hole]) -> str:
    """A plain str when every part is known, else a Text."""
    if all(isinstance(p, str) and not isinstance(p, Text) for p in parts):
        return "".join(parts)  # type: ignore[arg-type]
    return Text(parts)


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else str(v)


def _compact(v: Any) -> str:
    """A short, readable form of an expression for a hole."""
    if isinstance(v, str):
        s = v
    elif isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        s = json.dumps(v)
    else:
        s = json.dumps(v, default=str, separators=(",", ":"))
    return s if len(s) <= MAX_EXPR else s[: MAX_EXPR - 1] + "…"
