"""`connect-audit`: scan, rules, catalog."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from auditor import __version__
from auditor.catalog import Catalog, CatalogError
from auditor.engine import Options, UsageError, active_rules, audit, discover_rules, load_model
from auditor.loaders.base import LoadContext
from auditor.rule import LEVELS

FORMATS = ("text", "json", "sarif")
FAIL_ON = ("error", "warning", "note", "never")


def _ids(value: str) -> list[str]:
    return [v.strip().upper() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="connect-audit",
        description="Find what is wrong in the IAM policies of an Amazon Connect contact centre.",
    )
    p.add_argument("--version", action="version", version=f"connect-audit {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("scan", help="audit policy JSON, Terraform and CloudFormation files or folders")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--format", "-f", choices=FORMATS, default="text")
    s.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of standard output")
    s.add_argument("--fail-on", choices=FAIL_ON, default="error",
                   help="exit 1 when a finding is at or above this level (default: error)")
    s.add_argument("--select", type=_ids, action="extend", default=[], metavar="IDS",
                   help="only these rule ids or id prefixes (comma-separated)")
    s.add_argument("--ignore", type=_ids, action="extend", default=[], metavar="IDS",
                   help="skip these rule ids or id prefixes (comma-separated)")
    s.add_argument("--level", action="append", default=[], metavar="ID=LEVEL",
                   help="set a rule's level: error, warning or note (repeatable)")
    s.add_argument("--parameters", action="append", default=[], metavar="FILE|KEY=VALUE",
                   help="CloudFormation parameter values (a JSON file or KEY=VALUE; repeatable)")
    s.add_argument("--var-file", action="append", default=[], type=Path, metavar="FILE",
                   help="Terraform variable file (repeatable)")
    s.add_argument("--catalog", action="append", default=[], type=Path, metavar="DIR",
                   help="a catalog folder to consult before the cached and bundled ones")
    s.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: number of cores)")
    s.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")

    r = sub.add_parser("rules", help="list the rules, or explain one")
    r.add_argument("rule_id", nargs="?", metavar="ID")
    r.add_argument("--markdown", action="store_true", help="every rule's documentation as Markdown")

    c = sub.add_parser("catalog", help="what the catalog knows of an action, a service or a wildcard",
                       description="connect-audit catalog connect:DeleteUser | connect | 'connect:Describe*' | --info")
    c.add_argument("query", nargs="*", metavar="QUERY")
    c.add_argument("--info", action="store_true", help="print which catalog answers, and its date")
    c.add_argument("--catalog", action="append", default=[], type=Path, metavar="DIR")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["catalog"] and len(argv) > 1 and argv[1] in CATALOG_SUBCOMMANDS:
            return CATALOG_SUBCOMMANDS[argv[1]](argv[2:])
        args = build_parser().parse_args(argv)
        if args.command == "scan":
            return cmd_scan(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "catalog":
            return cmd_catalog(args)
        build_parser().print_help()
        return 2
    except UsageError as exc:
        print(f"connect-audit: {exc}", file=sys.stderr)
        return 2
    except CatalogError as exc:
        print(f"connect-audit: catalog: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a message, never a traceback
        if os.environ.get("CONNECT_AUDIT_DEBUG"):
            raise
        print(f"connect-audit: internal error: {type(exc).__name__}: {exc} "
              "(set CONNECT_AUDIT_DEBUG=1 for a traceback, and please report it)", file=sys.stderr)
        return 2


# --- scan ------------------------------------------------------------------------------------
def _levels(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        rid, sep, level = pair.partition("=")
        if not sep:
            raise UsageError(f"--level takes ID=LEVEL, not {pair!r}")
        out[rid.strip().upper()] = level.strip().lower()
    return out


def _parameters(values: list[str]) -> dict[str, str]:
    import json

    out: dict[str, str] = {}
    for v in values:
        if "=" in v and not Path(v).is_file():
            k, _, val = v.partition("=")
            out[k.strip()] = val
            continue
        try:
            data = json.loads(Path(v).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--parameters {v}: {exc}") from exc
        # Both `{"Key": "Value"}` and CloudFormation's `[{"ParameterKey", "ParameterValue"}]`.
        if isinstance(data, list):
            out.update({str(d["ParameterKey"]): str(d["ParameterValue"]) for d in data
                        if isinstance(d, dict) and "ParameterKey" in d})
        elif isinstance(data, dict):
            out.update({str(k): str(val) for k, val in data.get("Parameters", data).items()})
        else:
            raise UsageError(f"--parameters {v}: expected a JSON object or list")
    return out


def cmd_scan(args: argparse.Namespace) -> int:
    for f in args.var_file:
        if not f.is_file():
            raise UsageError(f"--var-file {f}: no such file")
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    options = Options(
        select=args.select,
        ignore=args.ignore,
        levels=_levels(args.level),
        load=LoadContext(parameters=_parameters(args.parameters), var_files=args.var_file, jobs=jobs),
        catalog_dirs=args.catalog,
    )
    rules = active_rules(options)
    model = load_model([Path(p) for p in args.paths], options.load)
    catalog = Catalog.default(options.catalog_dirs)
    report = audit(model, catalog, rules)

    if args.format == "json":
        from auditor.reporters.json_report import render
        text = render(report)
    elif args.format == "sarif":
        from auditor.reporters.sarif_report import render
        text = render(report)
    else:
        from auditor.reporters.text_report import render, use_colour
        text = render(report, colour=not args.output and use_colour(sys.stdout), show_suppressed=args.show_suppressed)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write --output {args.output}: {exc.strerror or exc}") from exc
        if args.format != "text":
            counts = report.counts()
            print(f"connect-audit: wrote {args.output}: {counts['error']} error(s), {counts['warning']} warning(s), "
                  f"{counts['note']} note(s); catalog {catalog.provenance()}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return exit_code(report.counts(), args.fail_on)


def exit_code(counts: dict[str, int], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = LEVELS.index(fail_on)
    return 1 if any(counts[lvl] for lvl in LEVELS[: threshold + 1]) else 0


# --- rules -----------------------------------------------------------------------------------
def cmd_rules(args: argparse.Namespace) -> int:
    if args.markdown:
        from auditor.rule_docs import rules_markdown

        sys.stdout.write(rules_markdown())
        return 0
    rules = sorted(discover_rules(), key=lambda r: r.id)
    if args.rule_id:
        rid = args.rule_id.upper()
        match = [r for r in rules if r.id == rid or r.name == args.rule_id.lower()]
        if not match:
            raise UsageError(f"no rule {args.rule_id!r} (see `connect-audit rules`)")
        r = match[0]
        print(f"{r.id} {r.name} ({r.level})\n{r.short_description}\n")
        print(r.doc())
        return 0
    width = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.id}  {r.name:<{width}}  {r.level:<7}  {r.short_description}")
    return 0


# --- catalog ---------------------------------------------------------------------------------
def cmd_catalog(args: argparse.Namespace) -> int:
    catalog = Catalog.default(args.catalog)
    if args.info or not args.query:
        from auditor.catalog import refresh_cli

        return refresh_cli.cmd_info(args)
    status = 0
    for q in args.query:
        status |= _catalog_query(catalog, q)
    print(f"(catalog: {catalog.provenance()})")
    return status


def _catalog_query(catalog: Catalog, q: str) -> int:
    if ":" not in q and q != "*":
        svc = catalog.service(q)
        if svc is None:
            print(f"{q}: no such service in {catalog.source} ({catalog.date})", file=sys.stderr)
            return 1
        print(f"{svc.prefix}: {svc.name} ({len(svc.actions)} actions)")
        for a in sorted(svc.actions.values(), key=lambda a: a.name):
            print(f"  {svc.prefix}:{a.name:<50} {a.access_level}")
        return 0
    if any(c in q for c in "*?"):
        res = catalog.expand(q)
        if not res.actions:
            print(f"{q}: matches no action", file=sys.stderr)
            return 1
        for a in sorted(res.actions, key=lambda a: a.full_name):
            print(f"{a.full_name:<55} {a.access_level}")
        print(f"({len(res.actions)} actions)")
        return 0
    act = catalog.action(q)
    if act is None:
        hint = _retired_hint(q)
        print(f"{q}: no such action in {catalog.source} ({catalog.date}){hint}", file=sys.stderr)
        return 1
    print(f"{act.full_name}  ({act.access_level})")
    print(textwrap.fill(act.description, 100, initial_indent="  ", subsequent_indent="  "))
    if act.star_only:
        print("  resources: only \"*\" (no resource-level permissions)")
    else:
        print("  resources:")
        for rt, required in act.resource_types:
            print(f"    {rt.name}{'*' if required else ''}  {rt.arn_format}")
    keys = sorted(act.condition_keys)
    if keys:
        print("  condition keys: " + ", ".join(keys))
    if act.dependent_actions:
        print("  dependent actions: " + ", ".join(act.dependent_actions))
    if act.api_link:
        print(f"  documentation: {act.api_link}")
    return 0


def _retired_hint(name: str) -> str:
    try:
        from auditor.connect.knowledge import RETIRED_ACTIONS
    except ImportError:
        return ""
    r = RETIRED_ACTIONS.get(name.lower())
    if r is None:
        return ""
    return f"; retired, use {r.replacement}" if r.replacement else "; retired, with no replacement"


def _catalog_update(argv: list[str]) -> int:
    from auditor.catalog import refresh_cli  # type: ignore[attr-defined]

    return refresh_cli.main_update(argv)


def _catalog_diff(argv: list[str]) -> int:
    from auditor.catalog import refresh_cli  # type: ignore[attr-defined]

    return refresh_cli.main_diff(argv)


# `catalog update` and `catalog diff` take their own options (see auditor/catalog/refresh_cli.py).
CATALOG_SUBCOMMANDS = {"update": _catalog_update, "diff": _catalog_diff}


if __name__ == "__main__":
    sys.exit(main())
