"""Module instances: the configuration of one folder, called as root or by a `module` block.

A `Module` indexes a folder's blocks and answers the references evaluation asks about:
variables (caller arguments, then tfvars for a root, then defaults), locals, a resource's
literal arguments, policy documents, and the outputs of local child modules (`source =
"./..."`), which are instantiated with the caller's arguments under `module.NAME.`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from auditor.loaders.terraform.evaluate import Env, evaluate, hole, iterate
from auditor.loaders.terraform.located import V, scalar_text
from auditor.loaders.terraform.nodes import Attr, Block, Expr, FileAST, GetAttr, Index, Step
from auditor.policy.model import Span
from auditor.policy.values import Text

MAX_MODULE_DEPTH = 12


class Root:
    """What a root module and all its descendants share."""

    def __init__(self, dir: Path, files_for: Callable[[Path], list[FileAST]],
                 tfvars: dict[str, V] | None = None) -> None:
        self.dir = dir  # the folder Terraform runs in; file() paths are relative to it
        self.files_for = files_for
        self.tfvars = tfvars or {}
        self.consumed: set[Path] = set()  # files read by file()/templatefile()
        self.notes: list[tuple[Span, str]] = []


def _is_local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


class Module:
    def __init__(self, root: Root, dir: Path, address: str, files: list[FileAST],
                 inputs: dict[str, tuple[Expr, Env]] | None = None, chain: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.dir = dir
        self.address = address  # "" or "module.connect." (with instance keys)
        rel = os.path.relpath(dir, root.dir)
        self.rel = "." if rel == "." else rel.replace(os.sep, "/")
        self.files = files
        self.inputs = inputs or {}
        self.chain = chain + (dir.resolve(),)
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attr] = {}
        self.resources: dict[tuple[str, str], Block] = {}
        self.data: dict[tuple[str, str], Block] = {}
        self.calls: dict[str, Block] = {}
        self.outputs: dict[str, Attr] = {}
        for f in files:
            for b in f.blocks:
                self._index(b)
        self._var_cache: dict[str, V] = {}
        self._local_cache: dict[str, V] = {}
        self._busy: set[object] = set()
        self._doc_cache: dict[tuple[str, str], V | None] = {}
        self._children: dict[str, list[tuple[str, "Module"]]] = {}
        # Policy documents read by a policy of this module (the rest are audited on their own).
        self.consumed_docs: set[tuple[str, str]] = set()

    def _index(self, b: Block) -> None:
        if b.type == "variable" and b.labels:
            self.variables[b.labels[0]] = b
        elif b.type == "locals":
            self.locals.update(b.attrs)
        elif b.type == "resource" and len(b.labels) == 2:
            self.resources[(b.labels[0], b.labels[1])] = b
        elif b.type == "data" and len(b.labels) == 2:
            self.data[(b.labels[0], b.labels[1])] = b
        elif b.type == "module" and b.labels:
            self.calls[b.labels[0]] = b
        elif b.type == "output" and b.labels and "value" in b.attrs:
            self.outputs[b.labels[0]] = b.attrs["value"]

    def env(self) -> Env:
        return Env(self)

    # --- values ---------------------------------------------------------------------------------
    def var_value(self, name: str, e: Expr) -> V:
        if name in self._var_cache:
            return self._var_cache[name]
        key = ("var", name)
        if key in self._busy:
            return hole(e.text, e.span)
        self._busy.add(key)
        try:
            value = self._var_value(name, e)
        finally:
            self._busy.discard(key)
        self._var_cache[name] = value
        return value

    def _var_value(self, name: str, e: Expr) -> V:
        if name in self.inputs:
            expr, caller = self.inputs[name]
            return evaluate(expr, caller)
        if not self.address and name in self.root.tfvars:
            return self.root.tfvars[name]
        block = self.variables.get(name)
        if block is not None and "default" in block.attrs:
            return evaluate(block.attrs["default"].expr, self.env())
        return hole(f"var.{name}", e.span)

    def local_value(self, name: str, e: Expr) -> V:
        if name in self._local_cache:
            return self._local_cache[name]
        attr = self.locals.get(name)
        if attr is None:
            return hole(e.text, e.span)
        key = ("local", name)
        if key in self._busy:
            return hole(e.text, e.span)
        self._busy.add(key)
        try:
            value = evaluate(attr.expr, self.env())
        finally:
            self._busy.discard(key)
        self._local_cache[name] = value
        return value

    def resource_argument(self, rtype: str, name: str, inst: Step | None, attr: str, e: Expr) -> V | None:
        """A literal argument of a resource of this module (its `name`, say); None if absent."""
        block = self.resources.get((rtype, name))
        if block is None or attr not in block.attrs:
            return None
        env = self._instance_env(block, inst)
        if env is None:
            return None
        key = ("res", rtype, name, attr)
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return evaluate(block.attrs[attr].expr, env)
        finally:
            self._busy.discard(key)

    def _instance_env(self, block: Block, inst: Step | None) -> Env | None:
        """The env of the instance `inst` picks (`[0]`, `["k"]`), or of the block without count."""
        repeated = "count" in block.attrs or "for_each" in block.attrs
        if inst is None:
            return None if repeated else self.env()
        if not repeated or not isinstance(inst, Index):
            return None
        key = evaluate(inst.key, self.env())
        want = scalar_text(key.v)
        if want is None or isinstance(key.v, Text):
            return None
        found = instances(block, self.env())
        for suffix, env in found:
            if suffix in (f"[{want}]", f'["{want}"]'):
                return env
        if len(found) == 1 and found[0][0] == "":
            return found[0][1]  # unknown count/for_each: the one unknown instance stands for all
        return None

    def policy_document(self, name: str, inst: Step | None, e: Expr, env: Env) -> V | None:
        from auditor.loaders.terraform.policy_document import build

        block = self.data.get(("aws_iam_policy_document", name))
        if block is None:
            return None
        ienv = self._instance_env(block, inst)
        if ienv is None:
            return None
        ckey = (name, e.text if inst is not None else "")
        self.consumed_docs.add(("aws_iam_policy_document", name))
        if ckey in self._doc_cache:
            return self._doc_cache[ckey]
        busy = ("doc",) + ckey
        if busy in self._busy:
            return None
        self._busy.add(busy)
        try:
            doc = build(block, ienv)
        finally:
            self._busy.discard(busy)
        self._doc_cache[ckey] = doc
        return doc

    # --- child modules ----------------------------------------------------------------------------
    def children(self, name: str) -> list[tuple[str, "Module"]]:
        """Instances of the local module called `name`: (instance suffix, module)."""
        if name in self._children:
            return self._children[name]
        self._children[name] = []
        block = self.calls.get(name)
        out: list[tuple[str, Module]] = []
        if block is not None and len(self.chain) < MAX_MODULE_DEPTH:
            src = block.attrs.get("source")
            source = evaluate(src.expr, self.env()) if src is not None else None
            if source is not None and isinstance(source.v, str) and not isinstance(source.v, Text) \
                    and _is_local_source(source.v):
                child_dir = Path(os.path.normpath(self.dir / source.v))
                try:
                    real: Path | None = child_dir.resolve()
                except (OSError, RuntimeError):  # a loop of symbolic links: no module there
                    real = None
                if real is not None and real not in self.chain:
                    files = self.root.files_for(child_dir)
                    for suffix, env in instances(block, self.env()):
                        inputs = {k: (a.expr, env) for k, a in block.attrs.items()
                                  if k not in ("source", "version", "count", "for_each", "providers", "depends_on")}
                        address = f"{self.address}module.{name}{suffix}."
                        out.append((suffix, Module(self.root, child_dir, address, files, inputs, self.chain)))
        self._children[name] = out
        return out

    def module_output(self, steps: list[Step], e: Expr, env: Env) -> V:
        if not steps or not isinstance(steps[0], GetAttr):
            return hole(e.text, e.span)
        name = steps[0].name
        rest = steps[1:]
        kids = self.children(name)
        if not kids:
            return hole(e.text, e.span)
        chosen: Module | None = None
        if rest and isinstance(rest[0], Index):
            key = evaluate(rest[0].key, env)
            want = scalar_text(key.v)
            for suffix, m in kids:
                if want is not None and suffix in (f"[{want}]", f'["{want}"]'):
                    chosen = m
            rest = rest[1:]
        elif len(kids) == 1 and kids[0][0] == "":
            chosen = kids[0][1]
        if chosen is None or not rest or not isinstance(rest[0], GetAttr):
            return hole(e.text, e.span)
        out = chosen.outputs.get(rest[0].name)
        if out is None:
            return hole(e.text, e.span)
        busy = ("out", id(chosen), rest[0].name)
        if busy in self._busy:
            return hole(e.text, e.span)
        self._busy.add(busy)
        try:
            value = evaluate(out.expr, chosen.env())
        finally:
            self._busy.discard(busy)
        from auditor.loaders.terraform.evaluate import apply_steps

        return apply_steps(value, rest[1:], e, env)

    def all_children(self) -> list["Module"]:
        out: list[Module] = []
        for name in self.calls:
            out.extend(m for _, m in self.children(name))
        return out


def instances(block: Block, env: Env) -> list[tuple[str, Env]]:
    """The instances `count` or `for_each` make of a block: (address suffix, env with
    `count`/`each` bound). Unknown repetition gives one instance with unknown bindings."""
    fe = block.attrs.get("for_each")
    if fe is not None:
        coll = evaluate(fe.expr, env)
        pairs = iterate(coll)
        if pairs is None:
            # Unknown: one instance whose `each.key`/`each.value` are holes where they are used.
            return [("", env.bind(each=hole("each", None)))]
        out = []
        for k, v in pairs:
            # A set's key is its value; a map's key is the key.
            key = v if isinstance(coll.v, list) else k
            text = scalar_text(key.v)
            if text is None:
                continue
            out.append((f'["{text}"]', env.bind(each=V({"key": key, "value": v}))))
        return out
    cnt = block.attrs.get("count")
    if cnt is not None:
        n = evaluate(cnt.expr, env)
        if isinstance(n.v, bool) or not isinstance(n.v, (int, float)):
            return [("", env.bind(count=hole("count", None)))]
        return [(f"[{i}]", env.bind(count=V({"index": V(i, cnt.span)}))) for i in range(int(n.v))]
    return [("", env)]
