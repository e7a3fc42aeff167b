"""Shared test set-up: a catalog cache built once per session in a private folder, and the
repository root as the working folder so finding paths are stable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # One catalog cache for the whole run (subprocesses inherit it), never the user's own.
    os.environ.setdefault("CONNECT_AUDIT_CACHE_DIR", tempfile.mkdtemp(prefix="connect-audit-test-cache-"))


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def catalog():
    from auditor.catalog import Catalog

    return Catalog.default()
