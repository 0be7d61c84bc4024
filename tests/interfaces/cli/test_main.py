"""The command line speaks in sentences: help is clear, an error is one line and an exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _parley(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env=full_env, timeout=120, check=False,
    )


def test_help_lists_commands() -> None:
    result = _parley("--help")
    assert result.returncode == 0
    assert "init" in result.stdout


def test_uninitialised_database_is_one_line_error(tmp_path: Path) -> None:
    result = _parley("init", env={"PARLEY_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_init_creates_sqlite_in_data_dir(tmp_path: Path) -> None:
    env = {"PARLEY_DATA_DIR": str(tmp_path / "d"), "PARLEY_DATABASE_URL": ""}
    result = _parley("init", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d" / "parley.db").exists()
