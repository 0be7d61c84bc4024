"""Production refuses a weak secret with one line; files of data and keys are 0600 in 0700
folders in every environment."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from parley.adapters.private_files import write_private
from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.services import accounts

STRONG = "k" * 32


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which a plain file is created world-readable (0644)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("secret", ["", "short", "x" * 31, "й" * 15])
def test_production_refuses_a_weak_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes in production"):
        Settings(environment="production", secret_key=secret)


def test_production_takes_a_strong_secret_and_development_any() -> None:
    assert Settings(environment="production", secret_key=STRONG).secret_key == STRONG
    assert Settings(environment="development", secret_key="").secret_key == ""


def test_the_command_line_says_so_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PARLEY_ENVIRONMENT": "production", "PARLEY_SECRET_KEY": "12345",
           "PARLEY_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()",
         "users", "list"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: PARLEY_SECRET_KEY must hold at least 32 bytes in production (it holds 5)")
    assert not (tmp_path / "data").exists()


def test_the_sqlite_files_and_their_folder_are_private(tmp_path: Path) -> None:
    db = tmp_path / "new" / "place" / "parley.db"
    store = Store.from_url(f"sqlite:///{db.as_posix()}")
    try:
        with store.transaction() as tx:
            tx.execute(text("CREATE TABLE t (x INTEGER)"))
            tx.execute(text("INSERT INTO t VALUES (1)"))
        with store.reading() as tx:  # WAL and shared-memory files exist while a reader is open
            tx.execute(text("SELECT x FROM t")).all()
            companions = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
            assert all(p.exists() for p in companions)
            assert [_mode(p) for p in [db, *companions]] == [0o600, 0o600, 0o600]
        assert _mode(db.parent) == 0o700 and _mode(db.parent.parent) == 0o700
    finally:
        store.engine.dispose()


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    db = shared / "old.db"
    db.touch(mode=0o644)
    assert _mode(db) == 0o644
    Store.from_url(f"sqlite:///{db.as_posix()}").engine.dispose()
    assert _mode(db) == 0o600
    assert _mode(shared) == 0o755  # a folder Parley did not make is left alone


def test_the_secret_key_file_and_its_folder_are_private(tmp_path: Path) -> None:
    accounts.ensure_secret_key(Settings(data_dir=tmp_path / "data", secret_key=""))
    assert _mode(tmp_path / "data") == 0o700
    assert _mode(tmp_path / "data" / "secret_key") == 0o600


def test_exports_are_written_private_even_over_an_open_file(tmp_path: Path) -> None:
    out = tmp_path / "exports" / "list.csv"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o644)
    write_private(out, b"new")
    assert out.read_bytes() == b"new" and _mode(out) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["list.csv"]  # no temporary left over
