"""`parley serve --workers N`: each worker builds the app from the settings alone."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Role
from parley.errors import AccessDenied, LoginRequired
from parley.interfaces.cli.serve import app_factory
from parley.interfaces.web.collector import FreezeKept
from parley.services.workspace import Workspace
from tests.conftest import Cli
from tests.interfaces.web.conftest import TestClient


def test_a_worker_builds_the_app_from_the_settings(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from parley.interfaces.cli.main import run

    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("PARLEY_DATABASE_URL", "")
    monkeypatch.setattr("sys.argv", ["parley", "init"])
    with pytest.raises(SystemExit) as done:
        run()
    assert done.value.code in (0, None)
    thresholds = gc.get_threshold()
    try:
        app = app_factory()
        assert isinstance(app, FreezeKept) and isinstance(app.app, FastAPI)
        with TestClient(app) as client:
            assert client.get("/login").status_code == 200
    finally:  # the worker tuned the collector (parley.interfaces.web.collector): undo it
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _events(ws: Workspace, action: str) -> list[tuple[str, str, dict[str, object]]]:
    with ws.store.reading() as tx:
        return [(r.actor, r.target, dict(r.payload)) for r in tx.scalars(
            select(AuditEventRow).where(AuditEventRow.action == action))]


def test_serving_is_an_administrators_act(ws: Workspace, cli: Cli) -> None:
    """Exposing the workspace on an address is an operator's decision: nobody anonymous, no
    other role; refused before anything listens or is logged."""
    cli.as_user("coord", Role.COORDINATOR, "HQ")
    refused = cli("serve", "--port", "1")
    assert refused.returncode == AccessDenied.exit_code
    assert "Parley at" not in refused.stdout
    assert cli("logout").returncode == 0
    assert cli("serve", "--port", "1").returncode == LoginRequired.exit_code
    assert _events(ws, "server.start") == []


def test_an_administrator_serves_and_the_log_says_so(ws: Workspace, cli: Cli,
                                                     cli_env: dict[str, str]) -> None:
    """A real ``parley serve`` process, signed in as the fixture's admin (its saved login)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", "serve",
         "--port", str(port)], env={**os.environ, **cli_env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    try:
        answer = None
        for _ in range(300):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert _events(ws, "server.start") == [
        ("cli-admin", f"http://127.0.0.1:{port}/", {"workers": 1})]
