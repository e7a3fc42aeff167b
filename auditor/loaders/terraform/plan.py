"""`terraform show -json` output (a plan, or a state): policies with their real values.

Resources come from `planned_values` (or `values` for a state), root and child modules, named by
their addresses. A value unknown until apply (`after_unknown`) is a hole; a policy that is
unknown as a whole is left to the configuration when it is alongside (its `.tf` evaluation has
the holes in the right places) and noted otherwise. When the configuration is alongside,
locations point into the `.tf` files: each value of the plan's document is matched to the same
path of the configuration's document, or to the equal string in the same list (the provider
reorders a policy document's actions), else to the nearest located ancestor.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Any

from auditor.loaders.terraform.resources import ATTACHMENTS, POLICY_RESOURCES, PRINCIPAL_TYPES
from auditor.policy import jsonloc
from auditor.policy.model import (
    Attachment, LocationMap, Model, Path, Policy, PolicyKind, PrincipalRecord, Span,
)
from auditor.policy.values import Text, unresolved

_INDEX = re.compile(r"\[[^\]]*\]")


def config_address(address: str) -> str:
    """`module.a["x"].aws_iam_policy.p[0]` -> `module.a.aws_iam_policy.p` (for loose matching)."""
    return _INDEX.sub("", address)


class PlanLoad:
    def __init__(self, path: FsPath, file: str, model: Model, config: dict[str, Policy]) -> None:
        self.path = path
        self.file = file
        self.model = model
        # Policies the configuration alongside gave, by address and by loose address.
        self.config = config
        self.loose = {config_address(k): v for k, v in config.items()}
        self.replaced: set[str] = set()
        self.unknown: dict[str, Any] = {}
        self.unknown_at: dict[str, int] = {}  # address -> its index in resource_changes
        self.locs: LocationMap | None = None

    def run(self, text: str) -> None:
        result = jsonloc.parse(text, self.file)
        data = result.value
        if not isinstance(data, dict):
            msg = result.errors[0].message if result.errors else "not a JSON object"
            span = result.errors[0].span if result.errors else Span(self.file, 1, 1, 1, 1)
            self.model.input_errors.append((span, f"cannot read the Terraform plan: {msg}"))
            return
        self.locs = result.locations
        for i, rc in enumerate(data.get("resource_changes") or []):
            if isinstance(rc, dict) and isinstance(rc.get("change"), dict):
                self.unknown[rc.get("address", "")] = rc["change"].get("after_unknown") or {}
                self.unknown_at[rc.get("address", "")] = i
        key = "planned_values" if "planned_values" in data else "values"
        root = (data.get(key) or {}).get("root_module") if isinstance(data.get(key), dict) else None
        if isinstance(root, dict):
            self.module(root, (key, "root_module"))

    def module(self, mod: dict[str, Any], path: Path) -> None:
        for i, res in enumerate(mod.get("resources") or []):
            if isinstance(res, dict) and res.get("mode", "managed") == "managed":
                self.resource(res, path + ("resources", i, "values"))
        for i, child in enumerate(mod.get("child_modules") or []):
            if isinstance(child, dict):
                self.module(child, path + ("child_modules", i))

    def span(self, path: Path) -> Span:
        assert self.locs is not None
        return self.locs.value(path)

    def unknown_span(self, address: str, vpath: Path, value: Any) -> Span:
        """Where a plan says a policy is unknown: its `"policy": true` in `after_unknown`, else
        its (empty) value, else the resource's address."""
        assert self.locs is not None
        i = self.unknown_at.get(address.removesuffix(".assume_role_policy"))
        if i is not None:
            upath = ("resource_changes", i, "change", "after_unknown", vpath[-1])
            if upath in self.locs.values:
                key, val = self.locs.key(upath), self.locs.values[upath]
                return Span(val.file, key.line, key.column, val.end_line, val.end_column)
        if value is not None:
            return self.span(vpath)
        where = vpath[:-2] + ("address",) if vpath[-2:-1] == ("values",) else vpath[:-1]
        return self.locs.values.get(where) or self.span(vpath[:-1])

    def resource(self, res: dict[str, Any], vpath: Path) -> None:
        rtype = res.get("type", "")
        address = res.get("address", "")
        values = res.get("values") or {}
        unknown = self.unknown.get(address, {})
        if rtype in POLICY_RESOURCES:
            arg, attachment, _, _ = POLICY_RESOURCES[rtype]
            self.policy(address, values.get(arg), unknown.get(arg), vpath + (arg,), PolicyKind.IDENTITY, attachment)
        elif rtype == "aws_iam_role":
            self.policy(f"{address}.assume_role_policy", values.get("assume_role_policy"),
                        unknown.get("assume_role_policy"), vpath + ("assume_role_policy",), PolicyKind.TRUST,
                        Attachment.TRUST)
            for i, ip in enumerate(values.get("inline_policy") or []):
                if isinstance(ip, dict) and ip.get("policy"):
                    self.policy(f"{address}.inline_policy[{i}]", ip.get("policy"), None,
                                vpath + ("inline_policy", i, "policy"), PolicyKind.IDENTITY, Attachment.ROLE_INLINE)
        if self.config:
            return  # the configuration alongside gave the principals, with their references
        if rtype in PRINCIPAL_TYPES:
            rec = PrincipalRecord(PRINCIPAL_TYPES[rtype], address, self.span(vpath))
            arns = values.get("managed_policy_arns") or []
            unk = unknown.get("managed_policy_arns")
            for i, arn in enumerate(arns):
                rec.managed_policy_arns.append(arn if isinstance(arn, str) else str(unresolved(f"{address}.managed_policy_arns[{i}]")))
            if unk is True:
                rec.managed_policy_arns.append(str(unresolved(f"{address}.managed_policy_arns")))
            if isinstance(values.get("permissions_boundary"), str) and values["permissions_boundary"]:
                rec.permissions_boundary = values["permissions_boundary"]
            self.model.principals.append(rec)
        elif rtype in ATTACHMENTS:
            who, kind, parg = ATTACHMENTS[rtype]
            arn = values.get(parg)
            name = values.get(who)
            rec = PrincipalRecord(kind, str(name) if name else f"{address}.{who}", self.span(vpath))
            arns = arn if isinstance(arn, list) else [arn]
            for a in arns:
                rec.managed_policy_arns.append(a if isinstance(a, str) else str(unresolved(f"{address}.{parg}")))
            self.model.principals.append(rec)

    def policy(self, address: str, value: Any, unknown: Any, vpath: Path, kind: PolicyKind,
               attachment: Attachment) -> None:
        cfg = self.config.get(address) or self.loose.get(config_address(address))
        if not isinstance(value, str) or not value or unknown is True:
            if cfg is None:
                self.model.notes.append((self.unknown_span(address, vpath, value),
                                         f"{address}: the policy is not known until apply; not audited"))
            return
        where = self.span(vpath)
        # The document is a JSON string inside JSON: positions inside it are the string's.
        inner = jsonloc.parse(value, self.file)
        doc = inner.value
        if cfg is not None:
            locs = remap(doc, cfg) if doc is not None else cfg.locations
            self.replaced.add(cfg.name)
            kind, attachment = cfg.kind, cfg.attachment
        else:
            locs = LocationMap(self.file, default=where)
            locs.values[()] = where
        p = Policy(doc, locs, address, kind, attachment)
        p.syntax_errors = [(e.path, e.message, where) for e in inner.errors]
        p.unparsable = doc is None
        self.model.policies.append(p)


def remap(doc: Any, cfg: Policy) -> LocationMap:
    """Locations for a plan's document from the configuration's document and locations."""
    src = cfg.locations
    out = LocationMap(src.file, default=src.default)

    def at(path: Path) -> Any:
        cur: Any = cfg.document
        for k in path:
            if isinstance(cur, dict) and isinstance(k, str) and k in cur:
                cur = cur[k]
            elif isinstance(cur, list) and isinstance(k, int) and 0 <= k < len(cur):
                cur = cur[k]
            else:
                return _MISSING
        return cur

    def walk(x: Any, path: Path) -> None:
        span = None
        if path and isinstance(path[-1], int) and isinstance(x, str):
            # The provider may reorder a list: find the equal string in the configuration's list.
            parent = at(path[:-1])
            if isinstance(parent, list):
                for j, item in enumerate(parent):
                    if isinstance(item, str) and not isinstance(item, Text) and item == x:
                        span = src.values.get(path[:-1] + (j,))
                        break
        if span is None and isinstance(x, str) and isinstance(at(path), list):
            # A one-item list the provider wrote as a string.
            items = at(path)
            if len(items) == 1:
                span = src.values.get(path + (0,))
        if span is None and at(path) is not _MISSING:
            span = src.values.get(path)
        if span is not None:
            out.values[path] = span
        if path in src.keys:
            out.keys[path] = src.keys[path]
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, path + (k,))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, path + (i,))

    walk(doc, ())
    return out


_MISSING = object()
