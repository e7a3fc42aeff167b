"""Catalog freshness: refresh the catalog from AWS's service reference, and know its age.

Layout under ``store.cache_root() / "catalog"``:

    service-reference/                the refreshed source folder (``store.write_source``, atomic);
                                      index.json carries per-service "dates" (when each file was
                                      retrieved), "modified" (the server's Last-Modified, or the
                                      file's time for ``--from``), "dependent_actions_from", ...
    service-reference-staging/<date>-<origin>/ verified downloads of the day from one base URL, ``<prefix>.json``; an
                                      interrupted update resumes from here (same day only)
    .service-reference.lock           one update at a time

An update downloads (bounded concurrency, urllib, the standard proxy variables or ``proxy``),
verifies every file as JSON of the expected shape, converts it (`service_reference`), and only
then writes a new source folder in one rename. A service that fails keeps its previous data
(the earlier refreshed version, else the bundled database); the report names it and says why.

Staleness: `catalog_age_days`, `is_stale` and `refresh_hint` serve rule CA102. Dates are
"YYYY-MM-DD" or, for the bundled database (its release month), "YYYY-MM", read as the 1st.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Union

from auditor.catalog import Catalog, Source
from auditor.catalog.service_reference import (
    DEFAULT_BASE_URL,
    ReferenceFormatError,
    parse_global_keys,
    service_from_reference,
    validate_index,
    validate_service,
)
from auditor.catalog.store import FORMAT, CatalogError, bundled_source_folder, cache_root, write_source
from auditor.catalog.types import Service

if TYPE_CHECKING:  # urllib is imported only when an update runs
    import urllib.request

# Every scan imports this module (`cached_sources`, the catalog's age): the network modules
# (urllib, http.client, socket, threads, gzip, email) are imported where an update uses them.

__all__ = [
    "CONNECT_FAMILY", "DEFAULT_BASE_URL", "DEFAULT_JOBS", "DEFAULT_STALE_DAYS", "SOURCE_LABEL", "UpdateReport",
    "cached_sources", "catalog_age_days", "parse_services", "catalog_date", "catalog_info", "diff", "is_stale", "refresh_hint",
    "refreshed_folder", "stale_threshold_days", "update",
]

SOURCE_LABEL = "aws-service-reference"
DEFAULT_STALE_DAYS = 90
STALE_DAYS_ENV = "CONNECT_AUDIT_CATALOG_MAX_AGE_DAYS"
DEFAULT_JOBS = 8
DEFAULT_TIMEOUT = 30.0
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
CONNECT_FAMILY = ("connect", "profile", "app-integrations", "cases", "voiceid", "wisdom", "qconnect",
                  "connect-campaigns")
# Index entries that are AWS's consolidated global condition keys rather than a service.
SERVICE_LIST = "v1/service-list.json"
GLOBAL_KEYS_NAMES = frozenset({"aws", "global", "global-condition-keys", "globalconditionkeys",
                               "aws-global-condition-keys", "global_condition_keys"})

CatalogLike = Union[Catalog, Source]


# --- where things live ----------------------------------------------------------------------
def refreshed_folder() -> Path:
    return cache_root() / "catalog" / "service-reference"


def staging_root() -> Path:
    return cache_root() / "catalog" / "service-reference-staging"


def stage_folder(base_url: str, day: date) -> Path:
    """Where one day's verified downloads from one base URL wait: an update resumes only what
    came from the same place the same day."""
    origin = hashlib.sha256(base_url.encode()).hexdigest()[:10]
    return staging_root() / f"{day.isoformat()}-{origin}"


def cached_sources() -> list[Source]:
    """The refreshed source, if an update has written one (called by `Catalog.default`)."""
    folder = refreshed_folder()
    if not (folder / "index.json").is_file():
        return []
    try:
        src = Source(folder)
        if src.index.get("format") != FORMAT:
            return []  # written by another version: `catalog update` rewrites it
        return [src]
    except (OSError, ValueError, CatalogError):
        # write_source is atomic, so this is a damaged disk or a hand edit: fall back to the
        # bundled database rather than fail every run.
        return []


# --- update ---------------------------------------------------------------------------------
@dataclass
class UpdateReport:
    origin: str  # the base URL or the --from folder
    folder: Path
    requested: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # written from this run's files
    resumed: list[str] = field(default_factory=list)  # of `updated`, taken from today's staging
    unchanged: list[str] = field(default_factory=list)  # previously refreshed, kept as they were
    failed: dict[str, str] = field(default_factory=dict)  # prefix -> why (previous data kept)
    errors: list[str] = field(default_factory=list)  # failures of the whole update
    notes: list[str] = field(default_factory=list)
    written: bool = False
    date: str = ""
    global_keys: str | None = None  # where the global condition keys came from

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def lines(self) -> list[str]:
        out: list[str] = []
        for e in self.errors:
            out.append(f"error: {e}")
        if self.written:
            n = len(self.updated)
            res = f" ({len(self.resumed)} resumed from an earlier attempt)" if self.resumed else ""
            out.append(f"updated {n} service{'s' * (n != 1)} from {self.origin}{res}")
            if self.unchanged:
                out.append(f"kept {len(self.unchanged)} previously refreshed service(s) unchanged")
            out.append(f"refreshed catalog: {self.folder} (date {self.date})")
        else:
            out.append("nothing written: the catalog in use is unchanged")
        if self.global_keys:
            out.append(f"global condition keys from {self.global_keys}")
        for prefix, why in sorted(self.failed.items()):
            out.append(f"failed: {prefix}: {why} (previous data kept)")
        if self.failed and not self.errors:
            out.append("run the same command again to retry; files already downloaded today are reused")
        out.extend(f"note: {n}" for n in self.notes)
        return out


class FetchError(Exception):
    pass


def update(
    services: list[str] | None = None,
    from_dir: Path | None = None,
    base_url: str = DEFAULT_BASE_URL,
    proxy: str | None = None,
    jobs: int = DEFAULT_JOBS,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 2,
    retry_delay: float = 0.5,
    today: date | str | None = None,
    global_keys_url: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> UpdateReport:
    """Refresh the catalog from AWS's service reference (or from `from_dir`, a folder of
    downloaded service files). `services` limits it to some prefixes and merges them into
    the refreshed catalog; without it, a download refreshes every service in AWS's index.
    Never raises for network or data problems: the report says what failed.
    `progress(done, total, prefix)` is called as each download finishes."""
    day = _as_date(today) or date.today()
    wanted = parse_services(services)
    folder = refreshed_folder()
    report = UpdateReport(origin=str(Path(from_dir).resolve()) if from_dir is not None else base_url, folder=folder,
                          date=day.isoformat())

    with _UpdateLock():
        previous = cached_sources()
        prev = previous[0] if previous else None
        try:
            bundled: Source | None = Source(bundled_source_folder())
        except (CatalogError, OSError, ValueError) as exc:
            bundled = None
            report.notes.append(f"bundled database unavailable ({exc}); required-ness and dependent actions "
                                "are not filled in")

        # prefix -> (document, retrieved date, modified date or None)
        docs: dict[str, tuple[dict[str, Any], str, str | None]] = {}
        global_keys: dict[str, str] | None = None
        stage: Path | None = None
        if from_dir is not None:
            global_keys = _collect_folder(Path(from_dir), wanted, docs, report)
        else:
            stage = stage_folder(base_url, day)
            global_keys = _download(base_url, wanted, proxy, jobs, timeout, retries, retry_delay, day, stage,
                                    global_keys_url, docs, report, progress)

        converted: dict[str, Service] = {}
        for prefix in sorted(docs):
            data = docs[prefix][0]
            try:
                converted[prefix] = service_from_reference(data, bundled.service(prefix) if bundled else None)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError, CatalogError) as exc:
                report.failed[prefix] = f"cannot convert: {type(exc).__name__}: {exc}"
        report.requested = sorted(set(report.requested) | set(docs) | set(report.failed))

        if not converted and global_keys is None:
            if not report.errors and not report.failed:
                report.errors.append("no service files found" if from_dir is not None else "nothing to update")
            return report

        # Merge with what was refreshed before.
        out: dict[str, Service] = {}
        dates: dict[str, str] = {}
        modified: dict[str, str] = {}
        if prev is not None:
            prev_dates = prev.index.get("dates") or {}
            prev_mod = prev.index.get("modified") or {}
            full_refresh = from_dir is None and wanted is None
            for p in prev.prefixes:
                if p in converted:
                    continue
                if full_refresh and p not in report.failed:
                    continue  # no longer in AWS's index: the bundled database answers again
                try:
                    svc = prev.service(p)
                except CatalogError as exc:
                    report.notes.append(f"dropped unreadable previous {p}: {exc}")
                    continue
                if svc is None:
                    continue
                out[p] = svc
                dates[p] = str(prev_dates.get(p, prev.date))
                if p in prev_mod:
                    modified[p] = prev_mod[p]
                report.unchanged.append(p)
        for p, svc in converted.items():
            out[p] = svc
            dates[p] = docs[p][1]
            if docs[p][2]:
                modified[p] = docs[p][2]
        report.updated = sorted(converted)

        extra: dict[str, Any] = {
            "updated": day.isoformat(),
            "origin": report.origin,
            "modified": modified,
            "access_levels_from": "AWS annotations (IsPermissionManagement, IsTaggingOnly, IsWrite, IsList, else Read)",
        }
        if bundled is not None:
            extra["dependent_actions_from"] = bundled.label
            extra["required_from"] = f"{bundled.label}; resources of actions it lacks are optional"
        if global_keys is not None:
            extra["global_condition_keys"] = global_keys
            extra["global_keys_from"] = report.global_keys
        elif prev is not None and prev.index.get("global_condition_keys"):
            extra["global_condition_keys"] = prev.index["global_condition_keys"]
            extra["global_keys_from"] = prev.index.get("global_keys_from")
        # The source's date is its oldest service's: never fresher than what it holds.
        src_date = min(dates.values()) if dates else day.isoformat()
        try:
            write_source(folder, out, SOURCE_LABEL, src_date, dates=dates, extra=extra)
        except OSError as exc:
            report.errors.append(f"cannot write {folder}: {exc}")
            return report
        report.written = True
        report.date = src_date
        if stage is not None and not report.failed and not report.errors:
            # Done with these downloads; keep any others of the day (an earlier interrupted
            # full update limited now by --services) for the next run to resume from.
            for p in [*converted, "_index", "_global-condition-keys"]:
                for f in (stage / f"{p}.json", stage / f"{p}.modified"):
                    f.unlink(missing_ok=True)
            try:
                stage.rmdir()
            except OSError:
                pass
        return report


def parse_services(services: Iterable[str] | str | None) -> list[str] | None:
    """"connect,profile" or ["connect", "profile,cases"] -> lower-case prefixes; None for none."""
    if services is None:
        return None
    if isinstance(services, str):
        services = [services]
    out: list[str] = []
    for item in services:
        for part in str(item).split(","):
            p = part.strip().lower()
            if p and p not in out:
                out.append(p)
    return out or None


# --- from a folder --------------------------------------------------------------------------
def _collect_folder(root: Path, wanted: list[str] | None, docs: dict[str, tuple[dict[str, Any], str, str | None]],
                    report: UpdateReport) -> dict[str, str] | None:
    root = root.resolve()
    if not root.is_dir():
        report.errors.append(f"{root} is not a folder")
        return None
    global_keys: dict[str, str] | None = None
    for path in sorted(root.rglob("*.json")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
        try:
            data = json.loads(_maybe_gunzip(path.read_bytes()))
        except (OSError, ValueError) as exc:
            report.failed[_guess_prefix(path)] = f"{path.name}: invalid JSON: {exc}"
            continue
        if isinstance(data, list) and data and all(isinstance(e, dict) and "service" in e for e in data):
            continue  # a copy of the index
        gk = parse_global_keys(data)
        if gk is not None:
            global_keys = gk
            report.global_keys = str(path)
            continue
        try:
            prefix = validate_service(data)
        except ReferenceFormatError as exc:
            report.failed[_guess_prefix(path)] = f"{path.name}: unexpected format: {exc}"
            continue
        if wanted is not None and prefix not in wanted:
            continue
        if prefix in docs:
            report.notes.append(f"{prefix}: more than one file; using {path}")
        # The file's time is the best evidence of when it was downloaded.
        docs[prefix] = (data, mtime, mtime)
    if wanted is not None:
        for p in wanted:
            if p not in docs and p not in report.failed:
                report.failed[p] = f"no service file for {p!r} in {root}"
        # Files that failed and were not asked for are not this update's concern.
        for p in list(report.failed):
            if p not in wanted:
                del report.failed[p]
    return global_keys


def _guess_prefix(path: Path) -> str:
    return path.name[: -len(".json")].lower()


# --- downloads ------------------------------------------------------------------------------
def _download(base_url: str, wanted: list[str] | None, proxy: str | None, jobs: int, timeout: float,
              retries: int, retry_delay: float, day: date, stage: Path, global_keys_url: str | None,
              docs: dict[str, tuple[dict[str, Any], str, str | None]], report: UpdateReport,
              progress: Callable[[int, int, str], None] | None = None) -> dict[str, str] | None:
    import urllib.parse
    from concurrent.futures import ThreadPoolExecutor, as_completed

    _clean_staging(stage)
    fetcher = _Fetcher(proxy, timeout, retries, retry_delay)
    try:
        try:
            raw_index = _staged(stage, "_index", lambda: fetcher.get(base_url))
            index = validate_index(json.loads(raw_index[0]))
        except (FetchError, ValueError):
            # AWS documents the index both at the root and at v1/service-list.json.
            (stage / "_index.json").unlink(missing_ok=True)
            alt = urllib.parse.urljoin(base_url if base_url.endswith("/") else base_url + "/", SERVICE_LIST)
            raw_index = _staged(stage, "_index", lambda: fetcher.get(alt))
            index = validate_index(json.loads(raw_index[0]))
    except (FetchError, ValueError) as exc:
        why = f"invalid JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        if isinstance(exc, ReferenceFormatError):
            why = f"unexpected format: {exc}"
        report.errors.append(f"cannot read the service reference index at {base_url}: {why}")
        return None

    gk_url = global_keys_url
    for name in list(index):
        url = index[name]
        if name in GLOBAL_KEYS_NAMES or ("global" in url.lower() and "condition" in url.lower()):
            gk_url = gk_url or url
            del index[name]

    if wanted is None:
        targets = sorted(index)
    else:
        targets = [p for p in wanted if p in index]
        for p in wanted:
            if p not in index:
                report.failed[p] = "not in AWS's service reference index"
    report.requested = list(targets)

    def one(prefix: str) -> tuple[str, Any]:
        url = urllib.parse.urljoin(base_url, index[prefix])
        try:
            body, modified, resumed = _staged(stage, prefix, lambda: fetcher.get(url, lambda b: _check_service(b, prefix)))
            data = json.loads(body)
            validate_service(data, prefix)  # a staged file is checked again
        except FetchError as exc:
            return prefix, exc
        except ReferenceFormatError as exc:
            return prefix, FetchError(f"unexpected format: {exc}")
        except ValueError as exc:
            return prefix, FetchError(f"invalid JSON: {exc}")
        except OSError as exc:  # the staging folder: disk full, permissions
            return prefix, FetchError(f"cannot keep the download in {stage}: {exc}")
        return prefix, (data, modified, resumed)

    pool = ThreadPoolExecutor(max_workers=max(1, min(int(jobs or 1), 64)))
    try:
        futures = [pool.submit(one, t) for t in targets]
        for done, fut in enumerate(as_completed(futures), 1):
            if progress is not None:
                progress(done, len(futures), fut.result()[0])
        results = [f.result() for f in futures]
    except BaseException:
        # Interrupted (Ctrl-C): stop queued downloads; what is staged is kept for the next run.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    for prefix, res in results:
        if isinstance(res, Exception):
            report.failed[prefix] = str(res)
            continue
        data, modified, resumed = res
        docs[prefix] = (data, day.isoformat(), modified)
        if resumed:
            report.resumed.append(prefix)

    if gk_url:
        url = urllib.parse.urljoin(base_url, gk_url)
        try:
            body, _, _ = _staged(stage, "_global-condition-keys", lambda: fetcher.get(url))
            gk = parse_global_keys(json.loads(body))
            if gk is None:
                raise FetchError("not a list of aws: condition keys")
            report.global_keys = url
            return gk
        except (FetchError, ValueError) as exc:
            report.notes.append(f"global condition keys not updated ({url}: {exc}); the built-in list is used")
    return None


def _check_service(body: bytes, prefix: str) -> None:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"invalid JSON: {exc}") from exc
    try:
        validate_service(data, prefix)
    except ReferenceFormatError as exc:
        raise FetchError(f"unexpected format: {exc}") from exc


def _staged(stage: Path, name: str, fetch: Callable[[], tuple[bytes, str | None]]) -> tuple[bytes, str | None, bool]:
    """Today's verified copy of a file, else fetch it (already verified by `fetch`) and keep it."""
    path = stage / f"{name}.json"
    meta = stage / f"{name}.modified"
    if path.is_file():
        try:
            body = path.read_bytes()
            json.loads(body)
            mod = meta.read_text().strip() if meta.is_file() else None
            return body, (mod or None), True
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
    import threading

    body, modified = fetch()
    stage.mkdir(parents=True, exist_ok=True)
    tmp = stage / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
    tmp.write_bytes(body)
    if modified:
        meta.write_text(modified)
    os.replace(tmp, path)
    return body, modified, False


def _clean_staging(keep: Path) -> None:
    root = keep.parent
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child != keep:
            shutil.rmtree(child, ignore_errors=True)


class _Fetcher:
    def __init__(self, proxy: str | None, timeout: float, retries: int, retry_delay: float) -> None:
        self.proxy = proxy
        self.timeout = timeout
        self.retries = max(0, retries)
        self.retry_delay = retry_delay
        import threading

        self._local = threading.local()

    def _opener(self) -> urllib.request.OpenerDirector:
        import urllib.request

        op = getattr(self._local, "opener", None)
        if op is None:
            # Without --proxy, urllib's default ProxyHandler reads http_proxy/https_proxy/no_proxy.
            handlers = [urllib.request.ProxyHandler({"http": self.proxy, "https": self.proxy})] if self.proxy else []
            op = urllib.request.build_opener(*handlers)
            self._local.opener = op
        return op

    def get(self, url: str, check: Callable[[bytes], None] | None = None) -> tuple[bytes, str | None]:
        """The body (verified by `check`) and its Last-Modified date; retries transient failures."""
        last: FetchError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.retry_delay * attempt)
            try:
                body, modified = self._get_once(url)
                if check is None:
                    json.loads(body)
                else:
                    check(body)
                return body, modified
            except ValueError as exc:
                last = FetchError(f"invalid JSON: {exc}")
            except FetchError as exc:
                last = exc
                if getattr(exc, "permanent", False):
                    break
        assert last is not None
        if self.retries and not getattr(last, "permanent", False):
            raise FetchError(f"{last} (after {self.retries + 1} attempts)")
        raise last

    def _get_once(self, url: str) -> tuple[bytes, str | None]:
        import gzip
        import http.client
        import socket
        import urllib.error
        import urllib.request

        from auditor import __version__ as ver  # noqa: PLC0415

        req = urllib.request.Request(url, headers={"User-Agent": f"connect-policy-auditor/{ver}",
                                                   "Accept": "application/json",
                                                   "Accept-Encoding": "gzip"})
        try:
            with self._opener().open(req, timeout=self.timeout) as resp:
                expected = resp.headers.get("Content-Length")
                chunks: list[bytes] = []
                total = 0
                while True:
                    chunk = resp.read(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    total += len(chunk)
                    if total > MAX_DOCUMENT_BYTES:
                        raise _permanent(FetchError(f"larger than {MAX_DOCUMENT_BYTES} bytes"))
                if expected is not None and expected.isdigit() and total != int(expected):
                    raise FetchError(f"connection closed after {total} of {expected} bytes")
                body = b"".join(chunks)
                if (resp.headers.get("Content-Encoding") or "").lower() == "gzip":
                    body = gzip.decompress(body)
                modified = _http_date(resp.headers.get("Last-Modified"))
                return _maybe_gunzip(body), modified
        except urllib.error.HTTPError as exc:
            err = FetchError(f"HTTP {exc.code} {exc.reason}".rstrip())
            return _raise(_permanent(err) if 400 <= exc.code < 500 and exc.code not in (408, 429) else err)
        except urllib.error.URLError as exc:
            return _raise(FetchError(f"cannot connect: {exc.reason}"))
        except http.client.IncompleteRead as exc:
            return _raise(FetchError(f"connection closed after {len(exc.partial)} bytes "
                                     f"({exc.expected} more expected)"))
        except (socket.timeout, TimeoutError):
            return _raise(FetchError(f"timed out after {self.timeout:g}s"))
        except (http.client.HTTPException, ConnectionError, OSError, EOFError) as exc:
            if isinstance(exc, FetchError):
                raise
            return _raise(FetchError(f"download interrupted: {type(exc).__name__}: {exc}".rstrip(": ")))


def _permanent(exc: FetchError) -> FetchError:
    exc.permanent = True  # type: ignore[attr-defined]
    return exc


def _raise(exc: Exception) -> Any:
    raise exc


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        import gzip

        try:
            return gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise FetchError(f"truncated gzip data: {exc}") from exc
    return body


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


class _UpdateLock:
    """An exclusive lock on the refreshed catalog while an update writes it (POSIX only)."""

    def __enter__(self) -> "_UpdateLock":
        self.fh = None
        try:
            import fcntl  # noqa: PLC0415
        except ImportError:  # pragma: no cover - Windows: no lock
            return self
        path = cache_root() / "catalog" / ".service-reference.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "a+")
        fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


# --- diff -----------------------------------------------------------------------------------
def diff(old: CatalogLike, new: CatalogLike, prefixes: Iterable[str] = CONNECT_FAMILY) -> dict[str, dict[str, list[str]]]:
    """Actions added and removed per prefix between two catalogs (or sources):
    {prefix: {"added": [...], "removed": [...]}}, every prefix listed, sorted names."""
    out: dict[str, dict[str, list[str]]] = {}
    for p in prefixes:
        a = _action_names(old, p)
        b = _action_names(new, p)
        out[p] = {"added": sorted(b - a, key=str.lower), "removed": sorted(a - b, key=str.lower)}
    return out


def _action_names(cat: CatalogLike, prefix: str) -> set[str]:
    try:
        svc = cat.service(prefix)
    except CatalogError:
        return set()
    return set(svc.actions) if svc is not None else set()


# --- age ------------------------------------------------------------------------------------
def parse_catalog_date(value: object) -> date | None:
    """A catalog date: "YYYY-MM-DD" (or a longer ISO time), or "YYYY-MM" read as its 1st day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return date.fromisoformat(text[:10])
        if len(text) == 7 and text[4] == "-":
            return date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None
    return None


def _as_date(value: date | str | None) -> date | None:
    if value is None:
        return None
    return parse_catalog_date(value)


def _sources(cat: CatalogLike) -> list[Source]:
    return list(cat.sources) if isinstance(cat, Catalog) else [cat]


def catalog_date(catalog: CatalogLike, service: str | None = None) -> str | None:
    """The date of the data that answers for `service` (the per-service date of the source
    that has it), or of the catalog's first source when `service` is None or unknown."""
    srcs = _sources(catalog)
    src = srcs[0]
    if service:
        low = service.lower()
        for s in srcs:
            if low in s.prefixes:
                src = s
                per = (s.index.get("dates") or {}).get(low)
                if per:
                    return str(per)
                break
    d = src.index.get("date")
    return str(d) if d else None


def catalog_age_days(catalog: CatalogLike, service: str | None = None,
                     today: date | str | None = None) -> int | None:
    """Days since the catalog's date (see `catalog_date`); None when the date is unknown."""
    d = parse_catalog_date(catalog_date(catalog, service))
    if d is None:
        return None
    return max(0, ((_as_date(today) or date.today()) - d).days)


def stale_threshold_days() -> int:
    """The configured threshold: $CONNECT_AUDIT_CATALOG_MAX_AGE_DAYS, else 90."""
    env = os.environ.get(STALE_DAYS_ENV, "").strip()
    if env.isdigit():
        return int(env)
    return DEFAULT_STALE_DAYS


def is_stale(catalog: CatalogLike, threshold_days: int | None = DEFAULT_STALE_DAYS,
             today: date | str | None = None, service: str | None = None) -> bool:
    """Whether the catalog (or, with `service`, the data answering for that prefix) is older
    than `threshold_days` (None: `stale_threshold_days()`). An unknown date is not stale.
    When `threshold_days` is the default and the environment sets a threshold, that wins."""
    if threshold_days is None or (threshold_days == DEFAULT_STALE_DAYS and os.environ.get(STALE_DAYS_ENV)):
        threshold_days = stale_threshold_days()
    age = catalog_age_days(catalog, service, today)
    return age is not None and age > threshold_days


def refresh_hint(services: str | Iterable[str] | None = None) -> str:
    """The command that refreshes the catalog (for `services` only, when given)."""
    svc = parse_services(services)
    return "connect-audit catalog update" + (f" --services {','.join(svc)}" if svc else "")


def catalog_info(catalog: Catalog, today: date | str | None = None,
                 prefixes: Iterable[str] = CONNECT_FAMILY) -> dict[str, Any]:
    """What `connect-audit catalog --info` prints: the sources in lookup order with their
    dates and ages, and which source answers for each Connect-family prefix."""
    now = _as_date(today) or date.today()
    threshold = stale_threshold_days()
    sources = []
    for s in catalog.sources:
        d = parse_catalog_date(s.date)
        age = (now - d).days if d else None
        entry = {"source": s.label, "date": s.date, "age_days": age, "path": str(s.folder),
                 "services": len(s.prefixes), "stale": age is not None and age > threshold}
        for key in ("updated", "dependent_actions_from", "global_keys_from", "origin"):
            if s.index.get(key):
                entry[key] = s.index[key]
        sources.append(entry)
    answers = {}
    for p in prefixes:
        src = catalog.source_of(p)
        answers[p] = None if src is None else {
            "source": src.label, "date": catalog_date(catalog, p),
            "actions": len(src.service(p).actions) if src.service(p) else 0,
        }
    return {"sources": sources, "services": answers, "stale_threshold_days": threshold,
            "refresh": refresh_hint()}
