"""The engine: find inputs, load them into one model, run the rules, locate the findings."""

from __future__ import annotations

import errno
import importlib
import inspect
import os
import pkgutil
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from auditor.catalog import Catalog
from auditor.loaders.base import LoadContext, Loader, display_path, source_lines
from auditor.loaders.policy_json import PolicyJsonLoader
from auditor.policy.model import Model, Span
from auditor.rule import LEVELS, Finding, Rule

SKIP_DIRS = {".git", ".terraform", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
_SUPPRESS = re.compile(r"connect-audit:\s*ignore(?:\[([A-Z0-9, ]+)\])?", re.I)


class UsageError(Exception):
    """A problem with how the tool was called (exit code 2)."""


# --- rules -----------------------------------------------------------------------------------
def discover_rules() -> list[type[Rule]]:
    """Every rule under `auditor.rules`, then those of third-party packs (entry points in the
    group `connect_audit.rules`, each naming a Rule class or a module of them)."""
    import auditor.rules as pkg

    found: list[type[Rule]] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        found.extend(_rules_in(module))
    for ep in entry_points(group="connect_audit.rules"):
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must not stop the audit
            print(f"connect-audit: cannot load rule pack {ep.name!r}: {exc}", file=sys.stderr)
            continue
        found.extend(_rules_in(obj) if inspect.ismodule(obj) else [obj] if _is_rule(obj) else [])
    return found


def entry_points(group: str) -> list[Any]:
    """The installed entry points of `group`. Importing importlib.metadata costs about as much
    as the rest of a one-policy scan, so a cheap look through the distributions on sys.path
    for one that names the group comes first; only then is importlib.metadata asked."""
    if not _may_declare(group):
        return []
    from importlib.metadata import entry_points as find

    return list(find(group=group))


def _may_declare(group: str) -> bool:
    """False only when no distribution importlib.metadata would find declares `group`."""
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return True  # a finder we cannot look through
    needle = group.encode()
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return True  # a zip file or an egg: let importlib.metadata look
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        metas = [n for n in names if n.lower().endswith((".dist-info", ".egg-info"))]
        if folder.endswith(".egg"):
            metas.append("EGG-INFO")
        for n in metas:
            try:
                with open(os.path.join(folder, n, "entry_points.txt"), "rb") as fh:
                    if needle in fh.read():
                        return True
            except OSError:
                continue
    return False


def _is_rule(obj: Any) -> bool:
    return inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule and bool(obj.id)


def _rules_in(module: Any) -> list[type[Rule]]:
    return [obj for _, obj in inspect.getmembers(module, _is_rule) if obj.__module__ == module.__name__]


@dataclass
class Options:
    select: list[str] = field(default_factory=list)  # rule ids or id prefixes
    ignore: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)  # rule id -> level
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    load: LoadContext = field(default_factory=LoadContext)
    catalog_dirs: list[Path] = field(default_factory=list)


def _matches(rule_id: str, patterns: list[str]) -> bool:
    return any(rule_id == p or (p and rule_id.startswith(p)) for p in patterns)


def active_rules(options: Options, classes: list[type[Rule]] | None = None) -> list[Rule]:
    classes = discover_rules() if classes is None else classes
    known = {c.id for c in classes}
    for rid, level in options.levels.items():
        if rid not in known:
            raise UsageError(f"unknown rule id {rid!r} in a level setting")
        if level not in LEVELS:
            raise UsageError(f"level for {rid} must be one of {', '.join(LEVELS)}, not {level!r}")
    for p in options.select + options.ignore:
        if not any(_matches(c, [p]) for c in known):
            raise UsageError(f"no rule matches {p!r} (see `connect-audit rules`)")
    out = []
    for cls in classes:
        if options.select and not _matches(cls.id, options.select):
            continue
        if _matches(cls.id, options.ignore):
            continue
        out.append(cls(options.levels.get(cls.id), options.rule_options.get(cls.id)))
    return out


# --- inputs ----------------------------------------------------------------------------------
def default_loaders(explicit: set[Path], files: list[Path] | None = None) -> list[Loader]:
    """The loaders, sharing one decision per file (`auditor.loaders.claims`), so at most one
    claims a file whatever the order. `files`: every input file (which policy JSON files the
    Terraform files read). Cheap: no parser is imported until a loader loads."""
    from auditor.loaders.claims import Inputs
    from auditor.loaders.cloudformation import CloudFormationLoader
    from auditor.loaders.terraform import TerraformLoader

    inputs = Inputs(files, explicit)
    return [TerraformLoader(inputs), CloudFormationLoader(inputs), PolicyJsonLoader(explicit, inputs)]


def collect_files(paths: Iterable[Path], model: Model) -> tuple[list[Path], set[Path]]:
    """Every file under the inputs (sorted, hidden and vendored folders skipped) and the set
    of files named directly. Only regular files are read, and symbolic links to them (under
    the link's own name); a link is never followed to a folder. A broken link (to nothing, or
    round a loop) is an input error (CA000) under its own name, named or met in a folder;
    a pipe, socket or device met in a folder is passed over, and is an error when named."""
    files: list[Path] = []
    explicit: set[Path] = set()
    for p in paths:
        kind, why = _file_kind(p)
        if kind == "file":
            files.append(p)
            explicit.add(p)
        elif kind == "dir":
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for n in sorted(names):
                    f = Path(root) / n
                    kind, why = _file_kind(f)
                    if kind == "file":
                        files.append(f)
                    elif kind == "broken":
                        _input_error(model, f, why)
        else:
            _input_error(model, p, why)
    return files, explicit


def _file_kind(p: Path) -> tuple[str, str]:
    """("file" | "dir" | "broken" | "other" | "missing", why it cannot be read)."""
    try:
        st = os.stat(p)
    except OSError as exc:
        if os.path.islink(p):
            if exc.errno == errno.ELOOP:
                return "broken", "broken symbolic link: it leads round a loop of links"
            try:
                target = os.readlink(p)
            except OSError:
                target = "?"
            return "broken", f"broken symbolic link: its target {target} does not exist"
        return "missing", "no such file or folder"
    if stat.S_ISREG(st.st_mode):
        return "file", ""
    if stat.S_ISDIR(st.st_mode):
        return "dir", ""
    return "other", "not a regular file (a pipe, socket or device): connect-audit reads files"


def _input_error(model: Model, path: Path, message: str) -> None:
    span = Span(display_path(path), 1, 1, 1, 1)
    if (span, message) not in model.input_errors:
        model.input_errors.append((span, message))


def load_model(paths: Iterable[Path], ctx: LoadContext, loaders: list[Loader] | None = None) -> Model:
    model = Model()
    files, explicit = collect_files(paths, model)
    loaders = default_loaders(explicit, files) if loaders is None else loaders
    claimed: dict[int, list[Path]] = {i: [] for i in range(len(loaders))}
    for f in files:
        try:
            with open(f, "rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            model.input_errors.append((Span(display_path(f), 1, 1, 1, 1), f"cannot read the file: {exc.strerror or exc}"))
            continue
        for i, loader in enumerate(loaders):
            if loader.claims(f, head):
                claimed[i].append(f)
                break
        else:
            if f in explicit:
                model.input_errors.append((Span(display_path(f), 1, 1, 1, 1),
                                           "not a policy, Terraform or CloudFormation file that connect-audit reads"))
    for i, loader in enumerate(loaders):
        if not claimed[i]:
            continue
        try:
            loader.load(claimed[i], ctx, model)
        except Exception as exc:  # a loader bug must not lose the other inputs
            model.input_errors.append((Span(display_path(claimed[i][0]), 1, 1, 1, 1),
                                       f"internal error in the {loader.name} loader: {type(exc).__name__}: {exc}"))
    return model


# --- running ---------------------------------------------------------------------------------
@dataclass
class Report:
    findings: list[Finding]
    model: Model
    catalog: Catalog
    rules: list[Rule]

    def counts(self, include_suppressed: bool = False) -> dict[str, int]:
        out = {lvl: 0 for lvl in LEVELS}
        for f in self.findings:
            if include_suppressed or not f.suppressed:
                out[f.level] += 1
        return out

    def files(self) -> list[str]:
        return sorted({p.file for p in self.model.policies} | {s.file for s, _ in self.model.input_errors})


def run_rules(model: Model, catalog: Catalog, rules: list[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        for policy in model.policies:
            if rule.kinds is not None and policy.kind.value not in rule.kinds:
                continue
            findings.extend(_guarded(rule, lambda: rule.check(policy, catalog), policy.locations.default
                                     or Span(policy.file, 1, 1, 1, 1)))
        findings.extend(_guarded(rule, lambda: rule.check_model(model, catalog), None))
    return findings


def _guarded(rule: Rule, call: Any, where: Span | None) -> list[Finding]:
    """Run a rule; a rule that fails is reported as an input error at the policy, not a crash."""
    try:
        return list(call())
    except Exception as exc:
        span = where or Span("<model>", 1, 1, 1, 1)
        return [Finding("CA000", f"internal error in rule {rule.id} ({rule.name}): {type(exc).__name__}: {exc}",
                        "error", span=span)]


def sort_key(f: Finding) -> tuple[Any, ...]:
    loc = f.location()
    return (loc.file, loc.line, loc.column, f.rule_id, f.message, f.path and tuple(map(str, f.path)))


def apply_suppressions(findings: list[Finding]) -> None:
    """`connect-audit: ignore[CA105]` (or a bare `connect-audit: ignore`) in a comment on the
    finding's line or the line above suppresses it; the finding is kept, marked suppressed."""
    cache: dict[str, list[str] | None] = {}
    for f in findings:
        loc = f.location()
        if loc.file not in cache:
            cache[loc.file] = source_lines(loc.file)
        lines = cache[loc.file]
        if not lines or loc.line < 1:
            continue
        for n in (loc.line, loc.line - 1):
            if 1 <= n <= len(lines):
                m = _SUPPRESS.search(lines[n - 1])
                if m and (not m.group(1) or f.rule_id in {x.strip() for x in m.group(1).split(",")}):
                    f.suppressed = True
                    break


def merge_variants(findings: list[Finding]) -> list[Finding]:
    """A finding that every branch of a conditional shares (same rule, place and message) is
    reported once, under the policy's own name rather than one branch's."""
    seen: dict[tuple[Any, ...], Finding] = {}
    out: list[Finding] = []
    for f in findings:
        if f.policy is None or f.policy.variant is None:
            out.append(f)
            continue
        key = (f.rule_id, f.location(), f.message, f.path, f.policy.name)
        first = seen.get(key)
        if first is None:
            seen[key] = f
            out.append(f)
        elif first.policy is not None and first.policy.variant != f.policy.variant:
            first.resource = f.policy.name
    return out


def audit(model: Model, catalog: Catalog, rules: list[Rule]) -> Report:
    findings = merge_variants(run_rules(model, catalog, rules))
    # CA000 (inputs that could not be read) is reported by its rule when selected; an internal
    # error of a rule or loader always is.
    apply_suppressions(findings)
    findings.sort(key=sort_key)
    return Report(findings, model, catalog, rules)


def scan(paths: Iterable[str | Path], options: Options | None = None, catalog: Catalog | None = None) -> Report:
    options = options or Options()
    rules = active_rules(options)
    model = load_model([Path(p) for p in paths], options.load)
    catalog = catalog or Catalog.default(options.catalog_dirs)
    return audit(model, catalog, rules)
