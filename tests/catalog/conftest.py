"""Fixtures for the catalog refresh tests: an isolated cache folder and a local HTTP server
that serves fixtures/service-reference/ in AWS's layout, with ways to make it fail."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from auditor.catalog.service_reference import DEFAULT_BASE_URL

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "service-reference"
GENERATED_FROM = (REFERENCE / "GENERATED_FROM.txt").read_text().strip()
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
              "NO_PROXY")


def fixtures_match_bundled() -> bool:
    """Whether the fixtures were generated from the installed Policy Sentry database (tests
    that expect its unchanged actions to be unchanged in the fixtures need that)."""
    from auditor.catalog import Source
    from auditor.catalog.store import bundled_source_folder

    return Source(bundled_source_folder()).label == GENERATED_FROM


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CONNECT_AUDIT_CACHE_DIR -> a fresh folder; the bundled database is linked in from the
    session's cache (so it is not rebuilt for every test). No proxy variables."""
    from auditor.catalog.store import bundled_source_folder

    bundled = bundled_source_folder()
    root = tmp_path / "cache"
    (root / "catalog").mkdir(parents=True)
    os.symlink(bundled, root / "catalog" / bundled.name, target_is_directory=True)
    monkeypatch.setenv("CONNECT_AUDIT_CACHE_DIR", str(root))
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return root


@dataclass
class Reference:
    """The running server: `url` is the index; `faults` maps a path ("/v1/connect/connect.json",
    "/" for the index) to a fault, or a list of faults used one per request then healthy."""

    url: str
    faults: dict[str, object] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, suffix: str) -> int:
        return sum(1 for r in self.requests if urllib.parse.urlsplit(r).path.rsplit("/", 1)[-1] == suffix)


def _handler(ref_box: list[Reference]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            ref = ref_box[0]
            with ref.lock:
                ref.requests.append(self.path)
            # A proxied request carries the whole URL; a direct one only the path.
            path = urllib.parse.urlsplit(self.path).path or "/"
            fault = ref.faults.get(path)
            if isinstance(fault, list):
                with ref.lock:
                    fault = fault.pop(0) if fault else None
            body = self._body(path)
            if body is None or fault == "404":
                self.send_error(404)
                return
            if fault == "500":
                self.send_error(500, "Internal Server Error")
                return
            if fault == "invalid-json":
                body = b"<html><body>Service Unavailable</body></html>"
            if fault == "wrong-shape":
                body = json.dumps({"message": "Rate exceeded"}).encode()
            if fault == "slow":
                time.sleep(0.3)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Last-Modified", "Tue, 10 Nov 2026 08:00:00 GMT")
            if fault == "close-mid-file":
                # Promise the whole file, send half, hang up.
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if fault == "close-mid-file-no-length":
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self, path: str) -> bytes | None:
            if path in ("/", "/v1/service-list.json"):
                host = self.headers.get("Host", "")
                index = json.loads((REFERENCE / "index.json").read_text())
                for e in index:
                    e["url"] = e["url"].replace(DEFAULT_BASE_URL, f"http://{host}/")
                return json.dumps(index).encode()
            f = (REFERENCE / path.lstrip("/")).resolve()
            if REFERENCE not in f.parents or not f.is_file():
                return None
            return f.read_bytes()

    return Handler


@pytest.fixture
def reference() -> Iterator[Reference]:
    box: list[Reference] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    box.append(Reference(url=f"http://127.0.0.1:{server.server_address[1]}/"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
