"""Shared fixtures. Every test that takes ``ws`` runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``PARLEY_TEST_POSTGRES_URL``; each test gets a schema of its own. Where the
server or Chromium is absent the tests skip with the reason, except under
``PARLEY_TEST_REQUIRE_SERVICES=1`` (CI), where their absence is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.errors import ParleyError
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

# No per-example deadline: CI shares two cores, and a slow example is not a wrong one.
hypothesis_settings.register_profile(
    "parley", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("parley")

POSTGRES_URL = os.environ.get("PARLEY_TEST_POSTGRES_URL", "")
# Commands the tests start print refusals in English whatever the machine's locale (a developer
# on a Ukrainian desktop would otherwise see every English assertion fail).
os.environ["PARLEY_LANGUAGE"] = "en"
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
def cli_env(settings: Settings, ws: Workspace, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for running the CLI against the test workspace: its own config folder (no
    test reads or writes the user's ~/.config) and no ``PARLEY_TOKEN`` from outside. The cached
    settings are dropped before and after, so no later test opens this test's database."""
    env = {"PARLEY_DATABASE_URL": settings.effective_database_url,
           "PARLEY_DATA_DIR": str(settings.data_dir),
           "PARLEY_CONFIG_DIR": str(tmp_path / "config")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PARLEY_TOKEN", raising=False)
    from parley.config import get_settings

    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


CLI_PASSWORD = "cli test password 1"
"""The password of every account the ``cli`` fixture makes."""


@dataclass
class Done:
    """One command's outcome, as a shell would see it from ``parley.interfaces.cli.main.run``."""

    returncode: int
    stdout: str
    stderr: str


class Cli:
    """The real ``parley`` command line, in process (Typer's runner): a subprocess per call is
    too slow on a shared machine and is kept for the tests where the process is the point.

    A ``ParleyError`` becomes its exit code and the one ``error:`` line ``run`` prints; any other
    exception fails the test. ``login`` signs in through the real ``parley login``."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.username = ""

    def __call__(self, *args: str, stdin: str = "") -> Done:
        from typer.testing import CliRunner

        from parley.interfaces.cli import main
        from parley.interfaces.cli.common import plain

        main._register()
        result = CliRunner().invoke(main.app, list(args), input=stdin)
        if isinstance(result.exception, ParleyError):
            return Done(result.exception.exit_code, result.stdout,
                        f"error: {plain(result.exception)}")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Done(result.exit_code, result.stdout, result.stderr)

    def add_user(self, username: str, role: Role = Role.COORDINATOR, agency: str = "HQ",
                 clearance: str = "top_secret") -> Actor:
        """An account made by the system (as the demo does), with ``CLI_PASSWORD``."""
        from parley.services.accounts import create_user

        return create_user(self.ws, actor=LOCAL_OPERATOR, username=username,
                           password=CLI_PASSWORD, role=role, agency=agency, clearance=clearance)

    def login(self, username: str, password: str = CLI_PASSWORD, code: str = "") -> Done:
        done = self("login", username, "--password-stdin", stdin=f"{password}\n{code}\n")
        if done.returncode == 0:
            self.username = username
        return done

    def as_user(self, username: str, role: Role = Role.COORDINATOR, agency: str = "HQ",
                clearance: str = "top_secret") -> Actor:
        """Make an account and sign in as it; later commands act as this person."""
        actor = self.add_user(username, role, agency, clearance)
        done = self.login(username)
        assert done.returncode == 0, done.stderr
        return actor


@pytest.fixture
def cli(cli_env: dict[str, str], ws: Workspace) -> Cli:
    """The command line against the test workspace, signed in as ``cli-admin`` (an admin of HQ,
    top secret); ``cli.as_user(...)`` signs in as someone else."""
    runner = Cli(ws)
    runner.as_user("cli-admin", Role.ADMIN, "HQ")
    return runner
