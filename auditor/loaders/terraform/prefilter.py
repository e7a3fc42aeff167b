"""Decide from bytes alone which Terraform files must be parsed.

Most `.tf` files in a real tree hold no IAM policy, and HCL parsing is the expensive step, so
each file is scanned with a few byte regexes: does it declare an IAM block, which variables,
locals, modules and outputs does it declare and reference. A folder matters when it holds IAM
blocks or calls (through local module sources) a folder that does; in such a folder we parse
the IAM files plus whatever declares what they reference, to a fixed point. The scan errs on
the side of parsing more (a name that merely looks like a local counts).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

IAM_BLOCK = re.compile(
    rb'(?m)^[ \t]*(?:resource|data)[ \t]+"?(aws_iam_[a-z_]+|aws_ssoadmin_permission_set_inline_policy)"?')
_VARIABLE = re.compile(rb'(?m)^[ \t]*variable[ \t]+"?([\w-]+)"?')
_LOCALS = re.compile(rb"(?m)^[ \t]*locals[ \t]*\{")
_ASSIGN = re.compile(rb"(?m)^[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)")
_MODULE = re.compile(rb'(?m)^[ \t]*module[ \t]+"?([\w-]+)"?[ \t]*\{')
_SOURCE = re.compile(rb'(?m)^[ \t]*source[ \t]*=[ \t]*"([^"]*)"')
_OUTPUT = re.compile(rb'(?m)^[ \t]*output[ \t]+"?([\w-]+)"?')
_REF_VAR = re.compile(rb"\bvar\.([\w-]+)")
_REF_LOCAL = re.compile(rb"\blocal\.([\w-]+)")
_REF_MODULE = re.compile(rb"\bmodule\.([\w-]+)(?:\[[^\]]*\])?(?:\.([\w-]+))?")
_JSON_IAM = re.compile(rb'"(aws_iam_[a-z_]+|aws_ssoadmin_permission_set_inline_policy)"')


@dataclass
class FileFacts:
    path: Path
    size: int
    iam: bool = False
    variables: set[str] = field(default_factory=set)
    local_names: set[str] = field(default_factory=set)  # over-approximated
    modules: dict[str, str] = field(default_factory=dict)  # module name -> source
    outputs: set[str] = field(default_factory=set)
    json: bool = False
    # What the file references; computed when first asked (most files are never chosen).
    _refs: tuple[set[str], set[str], set[tuple[str, str]]] | None = None

    def _load_refs(self) -> tuple[set[str], set[str], set[tuple[str, str]]]:
        if self._refs is None:
            try:
                data = self.path.read_bytes()
            except OSError:
                data = b""
            self._refs = _refs(data)
        return self._refs

    @property
    def var_refs(self) -> set[str]:
        return self._load_refs()[0]

    @property
    def local_refs(self) -> set[str]:
        return self._load_refs()[1]

    @property
    def module_refs(self) -> set[tuple[str, str]]:  # (module, output or "")
        return self._load_refs()[2]


def _refs(data: bytes) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    var_refs = {m.decode() for m in _REF_VAR.findall(data)} if b"var." in data else set()
    local_refs = {m.decode() for m in _REF_LOCAL.findall(data)} if b"local." in data else set()
    mod_refs = ({(a.decode(), b.decode() if b else "") for a, b in _REF_MODULE.findall(data)}
                if b"module." in data else set())
    return var_refs, local_refs, mod_refs


def facts(path: Path, data: bytes) -> FileFacts:
    f = FileFacts(path, len(data), json=path.name.endswith(".json"))
    if f.json:
        # JSON syntax is rare and cheap to parse: parse it whole when its folder matters ("*"
        # stands for every name), and read its module calls for the module graph.
        f.iam = bool(_JSON_IAM.search(data))
        f.local_names = {"*"} if b'"locals"' in data else set()
        f.variables = {"*"} if b'"variable"' in data else set()
        if b'"module"' in data:
            f.modules = _json_modules(data)
        return f
    # Plain `in` tests first: far cheaper than the anchored regexes on files without the word.
    f.iam = (b"aws_iam_" in data or b"aws_ssoadmin_permission_set" in data) and bool(IAM_BLOCK.search(data))
    if f.iam:
        f._refs = _refs(_relevant(data))
    if b"variable" in data:
        f.variables = {m.decode() for m in _VARIABLE.findall(data)}
    if b"locals" in data and _LOCALS.search(data):
        f.local_names = {m.decode() for m in _ASSIGN.findall(data)}
    if b"module" in data:
        names = _MODULE.findall(data)
        if names:
            # Pair each module block with the first `source` after it.
            for m in _MODULE.finditer(data):
                s = _SOURCE.search(data, m.end())
                f.modules[m.group(1).decode()] = s.group(1).decode() if s else ""
    if b"output" in data:
        f.outputs = {m.decode() for m in _OUTPUT.findall(data)}
    return f


def _relevant(data: bytes) -> bytes:
    """The blocks of a file with IAM blocks that are parsed (IAM ones, locals, module calls),
    so that only what they reference pulls in other files; the whole file when unsure."""
    try:
        text = data.decode("utf-8")
        blocks = top_blocks(text)
    except (UnicodeDecodeError, _ScanError, RecursionError):
        return data
    keep = Keep(frozenset())
    return "\n".join(text[s:e] for s, e, kind, labels in blocks
                     if kind not in ("variable", "output") and _wanted(kind, labels, keep)).encode()


def _json_modules(data: bytes) -> dict[str, str]:
    try:
        doc = json.loads(data)
    except ValueError:
        return {}
    calls = doc.get("module") if isinstance(doc, dict) else None
    out: dict[str, str] = {}
    if isinstance(calls, dict):
        for name, body in calls.items():
            for b in body if isinstance(body, list) else [body]:
                if isinstance(b, dict) and isinstance(b.get("source"), str):
                    out[name] = b["source"]
    return out


def _local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../")


def read_facts(path: Path) -> FileFacts | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return facts(path, data)


@dataclass
class Selection:
    """What to parse: files per folder, and which folders are roots."""

    files: dict[Path, list[Path]]  # folder -> files to parse (sorted)
    roots: list[Path]
    called: set[Path]  # folders called as local modules
    scanned: int = 0  # files looked at
    keep: dict[Path, "Keep"] = field(default_factory=dict)  # per .tf file: which blocks to parse
    # Each root with the folders of its module tree that have files to parse (root first).
    groups: list[tuple[Path, list[Path]]] = field(default_factory=list)


def select(tf_files: list[Path]) -> Selection:
    by_dir: dict[Path, dict[Path, FileFacts]] = {}
    for p in tf_files:
        fa = read_facts(p)
        if fa is not None:
            by_dir.setdefault(Path(os.path.normpath(p.parent.absolute())), {})[p] = fa
    scanned = len(tf_files)

    def ensure_dir(d: Path) -> None:
        nonlocal scanned
        if d in by_dir:
            return
        by_dir[d] = {}
        try:
            names = sorted(os.listdir(d))
        except OSError:
            return
        for n in names:
            if n.endswith(".tf") or n.endswith(".tf.json"):
                fa = read_facts(d / n)
                scanned += 1
                if fa is not None:
                    by_dir[d][d / n] = fa

    # Module edges: caller folder -> {(module name, child folder)}; child folders may lie
    # outside the inputs (`source = "../shared"`), so they are read from disk.
    edges: dict[Path, set[tuple[str, Path]]] = {}
    todo = list(by_dir)
    seen: set[Path] = set()
    while todo:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        for fa in by_dir.get(d, {}).values():
            for name, src in fa.modules.items():
                if _local_source(src):
                    child = Path(os.path.normpath(d / src))
                    edges.setdefault(d, set()).add((name, child))
                    if child not in by_dir:
                        ensure_dir(child)
                    todo.append(child)
    called = {c for kids in edges.values() for _, c in kids}

    # Folders that matter: those with IAM blocks, and their callers, transitively.
    needed: set[Path] = {d for d, fs in by_dir.items() if any(f.iam for f in fs.values())}
    changed = True
    while changed:
        changed = False
        for d, kids in edges.items():
            if d not in needed and any(c in needed for _, c in kids):
                needed.add(d)
                changed = True

    # Outputs a needed folder reads from its children: the child must be parsed for them.
    want_outputs: dict[Path, set[str]] = {}
    files: dict[Path, set[Path]] = {}
    queue = sorted(needed)
    while queue:
        d = queue.pop()
        fs = by_dir.get(d, {})
        kid_dirs: dict[str, Path] = {name: c for name, c in edges.get(d, set())}
        chosen = {p for p, f in fs.items() if f.iam or (f.json and f.local_names | f.variables)}
        chosen |= {p for p, f in fs.items() if any(kid_dirs.get(m) in needed for m in f.modules)}
        chosen |= {p for p, f in fs.items() if f.outputs & want_outputs.get(d, set())}
        chosen |= files.get(d, set())
        # Close over what the chosen files reference.
        while True:
            var_refs = set().union(*(fs[p].var_refs for p in chosen)) if chosen else set()
            local_refs = set().union(*(fs[p].local_refs for p in chosen)) if chosen else set()
            mod_refs = set().union(*(fs[p].module_refs for p in chosen)) if chosen else set()
            more = {p for p, f in fs.items() if p not in chosen and (
                f.variables & var_refs or f.local_names & local_refs or set(f.modules) & {m for m, _ in mod_refs}
                or ("*" in f.variables and var_refs) or ("*" in f.local_names and local_refs))}
            if not more:
                break
            chosen |= more
        if chosen == files.get(d):
            continue
        files[d] = chosen
        # Children whose outputs the chosen files read.
        for m, out in set().union(*(fs[p].module_refs for p in chosen)):
            kid = kid_dirs.get(m)
            if kid is None:
                continue
            if out:
                want_outputs.setdefault(kid, set()).add(out)
            needed.add(kid)
            queue.append(kid)
        for m in set().union(*(set(fs[p].modules) for p in chosen)):
            kid = kid_dirs.get(m)
            if kid is not None and kid in needed and kid not in files:
                queue.append(kid)
    roots = sorted(d for d in needed if d not in called and files.get(d))
    keep: dict[Path, Keep] = {}
    for d, ps in files.items():
        fs = by_dir[d]
        used_vars = frozenset(set().union(*(fs[p].var_refs for p in ps)))
        spec = Keep(used_vars, frozenset(want_outputs.get(d, set())))
        for p in ps:
            if not fs[p].json:
                keep[p] = spec
    groups: list[tuple[Path, list[Path]]] = []
    for r in roots:
        tree, stack = [r], [r]
        while stack:
            for _, child in sorted(edges.get(stack.pop(), set())):
                if child not in tree and files.get(child):
                    tree.append(child)
                    stack.append(child)
        groups.append((r, tree))
    return Selection({d: sorted(ps) for d, ps in files.items() if ps}, roots, called, scanned, keep, groups)


# --- masking: parse only the blocks that matter --------------------------------------------------
@dataclass(frozen=True)
class Keep:
    """Which top-level blocks of a `.tf` file to parse: IAM resources and data sources,
    locals and module calls always; variables and outputs by name (None: all)."""

    variables: frozenset[str] | None = None
    outputs: frozenset[str] = frozenset()


_TOKEN = re.compile(r'"|\{|\}|#|//|/\*|<<-?[A-Za-z][\w.-]*\r?\n')
_IN_STRING = re.compile(r'["\\\n]|\$\{|%\{')
_IN_INTERP = re.compile(r'"|\{|\}')
_HEADER = re.compile(r'[ \t]*([A-Za-z_][\w-]*)((?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)[ \t]*$')
_LABEL = re.compile(r'"([^"\n]*)"|([A-Za-z_][\w-]*)')
_IAM_TYPE = re.compile(r"aws_iam_|aws_ssoadmin_permission_set_inline_policy$")


class _ScanError(Exception):
    pass


def _skip_string(text: str, i: int) -> int:
    """Offset after the string whose opening quote is at i - 1."""
    while True:
        m = _IN_STRING.search(text, i)
        if m is None:
            raise _ScanError
        c = m.group(0)
        if c == '"':
            return m.end()
        if c == "\\":
            i = m.end() + 1
        elif c == "\n":
            raise _ScanError  # quoted strings do not span lines
        else:
            i = _skip_interp(text, m.end())


def _skip_interp(text: str, i: int) -> int:
    """Offset after the `}` closing an interpolation whose body starts at i."""
    depth = 1
    while True:
        m = _IN_INTERP.search(text, i)
        if m is None:
            raise _ScanError
        c = m.group(0)
        if c == '"':
            i = _skip_string(text, m.end())
        elif c == "{":
            depth += 1
            i = m.end()
        else:
            depth -= 1
            i = m.end()
            if depth == 0:
                return i


def top_blocks(text: str) -> list[tuple[int, int, str, list[str]]]:
    """(start, end, type, labels) of each top-level block; raises _ScanError when unsure."""
    out: list[tuple[int, int, str, list[str]]] = []
    depth = 0
    i = 0
    start = 0
    head: tuple[str, list[str]] = ("", [])
    while True:
        m = _TOKEN.search(text, i)
        if m is None:
            break
        tok = m.group(0)
        if tok == '"':
            i = _skip_string(text, m.end())
        elif tok == "{":
            if depth == 0:
                line_start = text.rfind("\n", 0, m.start()) + 1
                hm = _HEADER.match(text, line_start, m.start())
                if hm is None:
                    raise _ScanError
                labels = [a or b for a, b in _LABEL.findall(hm.group(2))]
                start, head = line_start, (hm.group(1), labels)
            depth += 1
            i = m.end()
        elif tok == "}":
            depth -= 1
            i = m.end()
            if depth < 0:
                raise _ScanError
            if depth == 0:
                out.append((start, i, head[0], head[1]))
        elif tok in ("#", "//"):
            nl = text.find("\n", m.end())
            i = len(text) if nl < 0 else nl
        elif tok == "/*":
            close = text.find("*/", m.end())
            if close < 0:
                raise _ScanError
            i = close + 2
        else:  # heredoc
            ident = tok.lstrip("<-").strip()
            end = re.compile(r"(?m)^[ \t]*" + re.escape(ident) + r"[ \t]*\r?$").search(text, m.end())
            if end is None:
                raise _ScanError
            i = end.end()
    if depth != 0:
        raise _ScanError
    return out


def _wanted(kind: str, labels: list[str], keep: Keep) -> bool:
    if kind in ("resource", "data"):
        return bool(labels) and bool(_IAM_TYPE.match(labels[0]))
    if kind in ("locals", "module"):
        return True
    if kind == "variable":
        return keep.variables is None or (bool(labels) and labels[0] in keep.variables)
    if kind == "output":
        return bool(labels) and labels[0] in keep.outputs
    return False


def mask(text: str, keep: Keep) -> str | None:
    """The text with every block that cannot matter blanked out (newlines and columns kept,
    so positions are unchanged); None when nothing would be blanked or the scan is unsure."""
    try:
        blocks = top_blocks(text)
    except (_ScanError, RecursionError):
        return None
    drop = [(s, e) for s, e, kind, labels in blocks if not _wanted(kind, labels, keep)]
    if not drop:
        return None
    out: list[str] = []
    pos = 0
    for s, e in drop:
        out.append(text[pos:s])
        region = text[s:e]
        nl = region.count("\n")
        tail = len(region) - region.rfind("\n") - 1 if nl else len(region)
        out.append("\n" * nl + " " * tail)
        pos = e
    out.append(text[pos:])
    return "".join(out)
