"""`connect-audit catalog update | diff | --info`: the command-line side of `refresh`.

Each ``cmd_*`` takes an argparse namespace and returns the exit code. The options they read
(all optional on the namespace; `add_*_arguments` declares them on a parser):

    update:  services   "connect,profile" (str, repeatable -> list, or None for all)
             from_dir   Path | None        (--from DIR: import downloaded service files, offline)
             proxy      str | None         (--proxy URL; else http(s)_proxy/no_proxy are honoured)
             base_url   str                (--base-url, hidden; default AWS's index URL)
             jobs       int                (--jobs N, concurrent downloads, default 8)
             json       bool               (--json: the report as JSON)
    diff:    catalog    list[Path] | None  (--catalog DIR, repeatable)
             services   str | list | None  (prefixes to compare; default the Connect family)
             json       bool
    info:    catalog, json

Exit codes: 0 done; 1 update finished with failures (previous data kept for those); 2 error
(bad folder, no catalog).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from auditor.catalog import Catalog, CatalogError, Source
from auditor.catalog import refresh
from auditor.catalog.service_reference import DEFAULT_BASE_URL
from auditor.catalog.store import bundled_source_folder


# --- parser helpers -------------------------------------------------------------------------
def add_update_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--services", action="append", metavar="PREFIXES",
                   help="only these service prefixes (comma-separated, repeatable); merged into the refreshed catalog")
    p.add_argument("--from", dest="from_dir", type=Path, metavar="DIR",
                   help="import a folder of downloaded service reference files instead of downloading")
    p.add_argument("--proxy", metavar="URL", help="HTTP(S) proxy (default: the http_proxy/https_proxy variables)")
    p.add_argument("--base-url", default=DEFAULT_BASE_URL, help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=refresh.DEFAULT_JOBS, metavar="N",
                   help=f"concurrent downloads (default {refresh.DEFAULT_JOBS})")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def add_diff_arguments(p: argparse.ArgumentParser) -> None:
    _add_catalog(p)
    p.add_argument("--services", action="append", metavar="PREFIXES",
                   help="prefixes to compare (default: the Amazon Connect family)")
    p.add_argument("--json", action="store_true", help="print the differences as JSON")


def add_info_arguments(p: argparse.ArgumentParser) -> None:
    _add_catalog(p)
    p.add_argument("--json", action="store_true", help="print as JSON")


def _add_catalog(p: argparse.ArgumentParser) -> None:
    try:
        p.add_argument("--catalog", action="append", type=Path, metavar="DIR",
                       help="a catalog folder to consult first (repeatable)")
    except argparse.ArgumentError:
        pass  # the caller's parser declares it already


# --- commands -------------------------------------------------------------------------------
def cmd_update(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    services = refresh.parse_services(getattr(ns, "services", None))
    from_dir = getattr(ns, "from_dir", None)
    show = sys.stderr.isatty() and not getattr(ns, "json", False)
    report = refresh.update(
        services=services,
        from_dir=Path(from_dir) if from_dir else None,
        base_url=getattr(ns, "base_url", None) or DEFAULT_BASE_URL,
        proxy=getattr(ns, "proxy", None),
        jobs=getattr(ns, "jobs", None) or refresh.DEFAULT_JOBS,
        progress=_progress if show else None,
    )
    if show:
        sys.stderr.write("\r\033[K")
    if getattr(ns, "json", False):
        json.dump(_report_dict(report), out, indent=2)
        out.write("\n")
    else:
        for line in report.lines():
            out.write(line + "\n")
    return 0 if report.ok else 1


def _progress(done: int, total: int, prefix: str) -> None:
    sys.stderr.write(f"\r\033[Kdownloading {done}/{total} {prefix}")
    sys.stderr.flush()


def _report_dict(r: refresh.UpdateReport) -> dict[str, Any]:
    return {
        "ok": r.ok, "written": r.written, "origin": r.origin, "folder": str(r.folder), "date": r.date,
        "requested": r.requested, "updated": r.updated, "resumed": r.resumed, "unchanged": r.unchanged, "failed": r.failed,
        "errors": r.errors, "notes": r.notes, "global_keys": r.global_keys,
    }


def _catalog(ns: argparse.Namespace) -> Catalog:
    extra = [Path(p) for p in (getattr(ns, "catalog", None) or [])]
    for folder in extra:
        if not (folder / "index.json").is_file():
            raise CatalogError(f"{folder} is not a catalog folder (no index.json)")
    try:
        return Catalog.default(extra)
    except (OSError, ValueError) as exc:
        raise CatalogError(str(exc)) from exc


def cmd_diff(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        new = _catalog(ns)
        old = Source(bundled_source_folder())
    except CatalogError as exc:
        print(f"connect-audit: {exc}", file=sys.stderr)
        return 2
    prefixes = refresh.parse_services(getattr(ns, "services", None)) or list(refresh.CONNECT_FAMILY)
    changes = refresh.diff(old, new, prefixes)
    newer = [s for s in new.sources if s.folder.resolve() != old.folder.resolve()]
    if getattr(ns, "json", False):
        json.dump({"old": {"source": old.label, "date": old.date},
                   "new": [{"source": s.label, "date": s.date, "path": str(s.folder)} for s in newer],
                   "changes": changes}, out, indent=2)
        out.write("\n")
        return 0
    if not newer:
        out.write(f"only the bundled database ({old.label}, {old.date}) is in use: nothing to compare\n"
                  f"refresh it with: {refresh.refresh_hint()}\n")
        return 0
    names = ", ".join(f"{s.label} ({s.date})" for s in newer)
    out.write(f"actions added and removed: {old.label} ({old.date}) -> {names}\n")
    for p in prefixes:
        c = changes[p]
        if not c["added"] and not c["removed"]:
            src = new.source_of(p)
            where = src.label if src is not None else "no source"
            out.write(f"{p}: no change ({where})\n")
            continue
        parts = [f"+{len(c['added'])}" if c["added"] else "", f"-{len(c['removed'])}" if c["removed"] else ""]
        out.write(f"{p}: {' '.join(x for x in parts if x)}\n")
        for a in c["added"]:
            out.write(f"  + {p}:{a}\n")
        for a in c["removed"]:
            out.write(f"  - {p}:{a}\n")
    return 0


def cmd_info(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        cat = _catalog(ns)
        info = refresh.catalog_info(cat)
    except CatalogError as exc:
        print(f"connect-audit: {exc}", file=sys.stderr)
        return 2
    if getattr(ns, "json", False):
        json.dump(info, out, indent=2)
        out.write("\n")
        return 0
    threshold = info["stale_threshold_days"]
    out.write("catalog sources, in lookup order (the first that has a service answers for it):\n")
    for i, s in enumerate(info["sources"], 1):
        age = "age unknown" if s["age_days"] is None else f"{s['age_days']} days old"
        if s["stale"]:
            age += f", older than {threshold} days"
        out.write(f"  {i}. {s['source']}  date {s['date']} ({age}), {s['services']} services\n")
        out.write(f"     {s['path']}\n")
        if s.get("dependent_actions_from"):
            out.write(f"     required resources and dependent actions from {s['dependent_actions_from']}\n")
        if s.get("global_keys_from"):
            out.write(f"     global condition keys from {s['global_keys_from']}\n")
    out.write("Amazon Connect services answered by:\n")
    width = max(len(p) for p in info["services"])
    for p, a in info["services"].items():
        if a is None:
            out.write(f"  {p:<{width}}  not in the catalog\n")
        else:
            out.write(f"  {p:<{width}}  {a['source']} ({a['date']}), {a['actions']} actions\n")
    if any(s["stale"] for s in info["sources"][:1]) or any(
        a and refresh.is_stale(cat, None, service=p) for p, a in info["services"].items()
    ):
        out.write(f"some of this data is older than {threshold} days; refresh it with: {info['refresh']}\n")
    else:
        out.write(f"refresh with: {info['refresh']}\n")
    return 0


# --- argv entry points (auditor/cli.py dispatches `catalog update ...` and `catalog diff ...`) --
def update_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="connect-audit catalog update",
        description="Refresh the catalog from AWS's service reference (or a folder of its files). "
                    "A failed or partial update keeps the previous data for what failed.")
    add_update_arguments(p)
    return p


def diff_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="connect-audit catalog diff",
        description="Actions added or removed between the bundled database and the catalog in use "
                    "(the refreshed one and any --catalog folders), for the Amazon Connect family.")
    add_diff_arguments(p)
    return p


def info_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="connect-audit catalog --info",
                                description="Which catalog answers, in what order, and how old it is.")
    add_info_arguments(p)
    return p


def main_update(argv: list[str]) -> int:
    return cmd_update(update_parser().parse_args(argv))


def main_diff(argv: list[str]) -> int:
    return cmd_diff(diff_parser().parse_args(argv))


def main_info(argv: list[str]) -> int:
    return cmd_info(info_parser().parse_args(argv))
