"""`parley serve --workers N`: each worker builds the app from the settings alone."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi import FastAPI

from parley.interfaces.cli.serve import app_factory
from parley.interfaces.web.collector import FreezeKept
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
