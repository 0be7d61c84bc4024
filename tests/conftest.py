"""Shared fixtures. Every test that takes ``ws`` runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``PARLEY_TEST_POSTGRES_URL``; each test gets a schema of its own. Where the
server or Chromium is absent the tests skip with the reason, except under
``PARLEY_TEST_REQUIRE_SERVICES=1`` (CI), where their absence is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Actor
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

# No per-example deadline: CI shares two cores, and a slow example is not a wrong one.
hypothesis_settings.register_profile(
    "parley", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("parley")

POSTGRES_URL = os.environ.get("PARLEY_TEST_POSTGRES_URL", "")
REQUIRE_SERVICES = os.environ.get("PARLEY_TEST_REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip on a user's machine; fail in CI, where nothing may be skipped for lack of a service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    if not POSTGRES_URL:
        missing_service("PostgreSQL not configured: set PARLEY_TEST_POSTGRES_URL")
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as err:
        missing_service(f"PostgreSQL at PARLEY_TEST_POSTGRES_URL is not reachable: {err}")
    return POSTGRES_URL


def _postgres_schema_url(admin_url: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'parley.db').as_posix()}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    yield from _postgres_schema_url(admin_url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data", secret_key="test-secret")


@pytest.fixture
def operator() -> Actor:
    return LOCAL_OPERATOR


@pytest.fixture
def ws(settings: Settings, operator: Actor) -> Iterator[Workspace]:
    """A migrated workspace with the default agencies, on SQLite and on PostgreSQL."""
    store = Store.from_url(settings.effective_database_url)
    workspace = Workspace(store=store, settings=settings)
    init_workspace(workspace, actor=operator)
    yield workspace
    store.engine.dispose()


@pytest.fixture
def cli_env(settings: Settings, ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for running the CLI against the test workspace."""
    env = {"PARLEY_DATABASE_URL": settings.effective_database_url,
           "PARLEY_DATA_DIR": str(settings.data_dir)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from parley.config import get_settings

    get_settings.cache_clear()
    return env
