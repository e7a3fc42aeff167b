"""How `TerraformLoader` fills the model with Terraform files and plans.

Steps: a byte pre-filter picks the files that can matter (`prefilter.py`); those are parsed,
in worker processes when `ctx.jobs > 1` (parsing is the cost; evaluation is cheap); each root
module (a folder no other folder calls) is evaluated with its tfvars and `--var-file`s, local
child modules under it; plans are read last so they can borrow the `.tf` locations.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generator, Iterable

from auditor.loaders.base import LoadContext, display_path
from auditor.loaders.terraform.detect import auto_tfvars as _auto_tfvars
from auditor.loaders.terraform.detect import is_tf as _is_tf
from auditor.loaders.terraform.detect import is_tfvars as _is_tfvars
from auditor.loaders.terraform.detect import looks_like_plan
from auditor.policy.model import Model, Policy, Span

if TYPE_CHECKING:
    from auditor.loaders.claims import Inputs
    from auditor.loaders.terraform.located import V
    from auditor.loaders.terraform.modules import Root
    from auditor.loaders.terraform.nodes import FileAST
    from auditor.loaders.terraform.prefilter import Keep

# `TerraformLoader` (in the package's __init__) imports this module only to load; this module
# imports the parser and the evaluator only where they are used.


def _read(path: str) -> tuple[str | None, FileAST | None]:
    """The file's text, or a FileAST saying why it cannot be read."""
    from auditor.loaders.terraform.nodes import FileAST

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        file = display_path(Path(path))
        return None, FileAST(path, file, errors=[(Span(file, 1, 1, 1, 1),
                                                  f"cannot read the file: {exc.strerror or exc}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        file = display_path(Path(path))
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, FileAST(path, file, errors=[(Span(file, line, col, line, col + 1), "the file is not UTF-8 text")])
    return (text[1:] if text.startswith("\ufeff") else text), None


def parse_file(path: str, keep: Keep | None = None) -> FileAST:
    """Read and parse one file (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`). Never raises.

    With `keep`, a `.tf` file is parsed with the blocks that cannot matter blanked out (see
    `prefilter.mask`); if that fails to parse, the whole file is parsed so a syntax error is
    reported where it is; if it parses, a syntax error in a blanked block is still reported
    (the fast check of `syntax.py`, then the parser when the check cannot vouch for the file)."""
    from auditor.loaders.terraform import prefilter
    from auditor.loaders.terraform.nodes import FileAST
    from auditor.loaders.terraform.parse import parse_hcl
    from auditor.loaders.terraform.syntax import certainly_valid
    from auditor.loaders.terraform.tfjson import parse_tf_json, parse_tfvars_json

    text, failed = _read(path)
    if text is None:
        return failed  # type: ignore[return-value]
    file = display_path(Path(path))
    name = Path(path).name
    try:
        if name.endswith(".tfvars.json"):
            return parse_tfvars_json(text, path, file)
        if name.endswith(".json"):
            return parse_tf_json(text, path, file)
        if keep is not None and name.endswith(".tf"):
            masked = prefilter.mask(text, keep)
            if masked is not None:
                ast = parse_hcl(masked, path, file)
                if not ast.errors:
                    if not certainly_valid(text):
                        ast.errors.extend(parse_hcl(text, path, file).errors)
                    return ast
        return parse_hcl(text, path, file, tfvars=name.endswith(".tfvars"))
    except RecursionError:
        return FileAST(path, file, errors=[(Span(file, 1, 1, 1, 1), "the file nests too deeply to read")])
    except Exception as exc:  # a parser bug must not lose the other files
        return FileAST(path, file, errors=[(Span(file, 1, 1, 1, 1),
                                            f"internal error in the terraform loader: {type(exc).__name__}: {exc}")])


def check_file(path: str) -> FileAST:
    """The syntax errors (no blocks) of a file that no policy needs: python-hcl2's parser runs
    only when the fast check of `syntax.py` cannot vouch for the file. Never raises."""
    from auditor.loaders.terraform.nodes import FileAST
    from auditor.loaders.terraform.syntax import certainly_valid

    text, failed = _read(path)
    if text is None:
        return failed  # type: ignore[return-value]
    if not path.endswith(".json") and certainly_valid(text):
        return FileAST(path, "")
    return FileAST(path, display_path(Path(path)), errors=parse_file(path).errors)


def _parse_one(item: tuple[str, Keep | None, bool]) -> FileAST:
    path, keep, check_only = item
    return check_file(path) if check_only else parse_file(path, keep)


def parse_files(paths: list[Path], jobs: int, keep: dict[Path, Keep] | None = None,
                check: list[Path] = ()) -> Generator[FileAST, None, None]:  # type: ignore[assignment]
    """Parse files in order, in `jobs` worker processes when more than one, then check the
    syntax of the files in `check`. Results stream back in the order given, so the caller can
    evaluate a module tree as soon as its files are in and let them go (memory stays flat as
    the tree grows)."""
    keep = keep or {}
    items = [(str(p), keep.get(p), False) for p in paths] + [(str(p), None, True) for p in check]
    if jobs <= 1 or len(items) < 4:
        for item in items:
            yield _parse_one(item)
        return
    _warm_parser()
    import multiprocessing

    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() \
        else multiprocessing.get_context()
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    with ctx.Pool(min(jobs, len(items))) as pool:
        yield from pool.imap(_parse_one, items, chunksize=chunk)


def _warm_parser() -> None:
    # Build (or load) the grammar once before forking, so workers inherit it.
    from auditor.loaders.terraform.parse import _parser

    _parser()


class TerraformLoad:
    """One load of Terraform configurations and plans (`TerraformLoader.load`)."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs

    # --- loading -----------------------------------------------------------------------------------
    def load(self, paths: list[Path], ctx: LoadContext, model: Model) -> None:
        tf: list[Path] = []
        tfvars: list[Path] = []
        plans: list[Path] = []
        side_json: list[Path] = []
        for p in paths:
            name = p.name
            if _is_tf(name):
                tf.append(p)
            elif _is_tfvars(name):
                tfvars.append(p)  # read per root below
            elif name.endswith(".json"):
                head = _head(p)
                (plans if looks_like_plan(head) else side_json).append(p)
        consumed: set[Path] = set()
        config: dict[Path, dict[str, Policy]] = {}
        if tf or tfvars:
            self._load_config(tf, tfvars, ctx, model, consumed, config)
        for p in plans:
            self._load_plan(p, model, config.get(Path(os.path.normpath(p.parent.absolute())), {}))
        if side_json:
            # Policy files the configuration did not read after all: audited on their own.
            from auditor.loaders.policy_json import PolicyJsonLoader

            rest = [p for p in side_json if p.resolve() not in consumed]
            loader = PolicyJsonLoader(self.inputs.explicit, self.inputs)
            for p in rest:
                loader.load_one(p, model)

    def _load_config(self, tf: list[Path], tfvars: list[Path], ctx: LoadContext, model: Model,
                     consumed: set[Path], config: dict[Path, dict[str, Policy]]) -> None:
        from auditor.loaders.terraform import prefilter

        sel = prefilter.select(tf)
        # Parse root by root (a module shared by several roots once), evaluate each root as soon
        # as its files are in, and drop what no later root needs.
        order: list[Path] = []
        ends: list[int] = []
        last_use: dict[Path, int] = {}
        scheduled: set[Path] = set()
        for gi, (_, dirs) in enumerate(sel.groups):
            for d in dirs:
                last_use[d] = gi
                new = [p for p in sel.files.get(d, []) if p not in scheduled]
                scheduled.update(new)
                order.extend(new)
            ends.append(len(order))
        by_dir: dict[Path, list[FileAST]] = {}

        def files_for(d: Path) -> list[FileAST]:
            # The pre-filter followed every local module source: a folder it did not select
            # holds nothing a policy can read.
            return by_dir.get(Path(os.path.normpath(d.absolute())), [])

        var_files = [parse_file(str(p)) for p in ctx.var_files]
        for vf in var_files:
            model.input_errors.extend(vf.errors)
        # The files no policy needs are still checked for syntax errors (a broken file must
        # be reported), after the others, cheaply (see `check_file`).
        parsed = {_norm(r / n) for r, _ in sel.groups for n in _listdir(r) if _auto_tfvars(n)}
        parsed |= {_norm(p) for p in ctx.var_files}
        unparsed = [p for p in tf if p not in scheduled] + [p for p in tfvars if _norm(p) not in parsed]
        stream = parse_files(order, ctx.jobs, sel.keep, check=unparsed)
        done = 0
        try:
            for gi, (root_dir, dirs) in enumerate(sel.groups):
                while done < ends[gi]:
                    ast = next(stream)
                    done += 1
                    model.input_errors.extend(ast.errors)
                    by_dir.setdefault(Path(os.path.normpath(Path(ast.path).parent.absolute())), []).append(ast)
                self._load_root(root_dir, files_for, var_files, model, consumed, config)
                for d in dirs:
                    if last_use.get(d) == gi:
                        by_dir.pop(d, None)
            for ast in stream:
                model.input_errors.extend(ast.errors)
        finally:
            stream.close()

    def _load_root(self, root_dir: Path, files_for: Callable[[Path], list[FileAST]], var_files: list[FileAST],
                   model: Model, consumed: set[Path], config: dict[Path, dict[str, Policy]]) -> None:
        from auditor.loaders.terraform.modules import Module, Root
        from auditor.loaders.terraform.resources import Collected, collect_module, finish

        auto = sorted((n for n in _listdir(root_dir) if _auto_tfvars(n)),
                      key=lambda n: (n.startswith("terraform.tfvars") is False, n))
        tfvars_asts = [parse_file(str(root_dir / n)) for n in auto]
        for a in tfvars_asts:
            model.input_errors.extend(a.errors)
        root = Root(root_dir, files_for)
        root.tfvars = _tfvars(tfvars_asts + var_files, root)
        mod = Module(root, root_dir, "", files_for(root_dir))
        collected = Collected()
        try:
            collect_module(collected, mod)
        except RecursionError:
            model.input_errors.append((Span(display_path(root_dir), 1, 1, 1, 1),
                                       "the configuration nests too deeply to evaluate"))
            return
        except Exception as exc:  # a loader bug must not lose the other configurations
            model.input_errors.append((Span(display_path(root_dir), 1, 1, 1, 1),
                                       f"internal error in the terraform loader: {type(exc).__name__}: {exc}"))
            return
        collected.notes.extend(root.notes)
        before = len(model.policies)
        finish(collected, model)
        config[root_dir] = {p.name: p for p in model.policies[before:]}
        consumed |= root.consumed

    def _load_plan(self, path: Path, model: Model, config: dict[str, Policy]) -> None:
        from auditor.loaders.terraform.plan import PlanLoad

        file = display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            model.input_errors.append((Span(file, 1, 1, 1, 1), f"cannot read the Terraform plan: {exc}"))
            return
        load = PlanLoad(path, file, model, config)
        try:
            load.run(text)
        except Exception as exc:  # a loader bug must not lose the other inputs
            model.input_errors.append((Span(file, 1, 1, 1, 1),
                                       f"internal error in the terraform loader: {type(exc).__name__}: {exc}"))
            return
        if load.replaced:
            # The plan's known documents replace the configuration's (same places, real values).
            model.policies[:] = [p for p in model.policies
                                 if not (p.name in load.replaced and config.get(p.name) is p)]


def _tfvars(asts: Iterable[FileAST], root: Root) -> dict[str, V]:
    """Variable values from tfvars files, later files winning (Terraform's precedence)."""
    from auditor.loaders.terraform.evaluate import evaluate
    from auditor.loaders.terraform.modules import Module

    out: dict[str, V] = {}
    env = Module(root, root.dir, "", []).env()
    for a in asts:
        for b in a.blocks:
            for name, attr in b.attrs.items():
                out[name] = evaluate(attr.expr, env)
    return out


def _norm(p: Path) -> Path:
    return Path(os.path.normpath(p.absolute()))


def _listdir(d: Path) -> list[str]:
    try:
        return os.listdir(d)
    except OSError:
        return []


def _head(p: Path) -> bytes:
    try:
        with open(p, "rb") as fh:
            return fh.read(4096)
    except OSError:
        return b""
