"""A crash mid-import (kill -9) and concurrent imports of one file (issue 10, items 12 and 13):
the log covers every committed row, batches count only what was committed, and re-running
completes the file with nothing lost or duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow, ImportBatch
from parley.domain.actors import Actor
from parley.services import ingest as ingest_module
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace
from tests.forking import CRASHED, kill_self, run_child, run_together
from tests.services.ingest_checks import assert_log_covers_store, record_keys

HEADER = "Record ID,Surname,Name,Date of birth,Status\n"


def _file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "people.csv"
    lines = [f"R{i},Koval{i},Ivan,1990-05-01,POW\n" if i % 9 else f"R{i},,,someday,POW\n"
             for i in range(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_kill_after_a_chunk_leaves_it_audited_and_counted(
    ws: Workspace, operator: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 40)
    path = _file(tmp_path, 200)

    def import_then_die(child: Workspace) -> None:
        def progress(_stage: str, done: int, total: int | None) -> None:
            if done >= 80:  # two chunks committed
                kill_self()

        ingest_file(child, actor=operator, path=path, source="mod", agency="MOD",
                    progress=progress)

    assert run_child(ws, import_then_die) == CRASHED
    with ws.store.reading() as s:
        batch = s.scalars(select(ImportBatch)).one()
        chunks = s.scalars(select(AuditEventRow)
                           .where(AuditEventRow.action == "ingest.chunk")).all()
    assert batch.finished_at is None
    assert batch.rows_read == 80 and batch.rows_imported + batch.rows_quarantined == 80
    assert [(e.payload["first_line"], e.payload["last_line"]) for e in chunks] == [
        (2, 41), (42, 81)]
    assert_log_covers_store(ws)

    again = ingest_file(ws, actor=operator, path=path, source="mod", agency="MOD")
    assert (again.read, again.duplicates) == (200, 80)
    keys = record_keys(ws)
    assert len(keys) == 200 - len(range(0, 200, 9)) and max(keys.values()) == 1
    assert_log_covers_store(ws)


def test_three_concurrent_imports_of_one_file(
    ws: Workspace, operator: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the per-source lock, two of three crashed on PostgreSQL with UniqueViolation and
    their batches claimed rows that had been rolled back."""
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", 50)
    path = _file(tmp_path, 600)

    def import_all(child: Workspace) -> None:
        ingest_file(child, actor=operator, path=path, source="mod", agency="MOD")

    assert run_together(ws, import_all, 3) == [0, 0, 0]
    with ws.store.reading() as s:
        batches = s.scalars(select(ImportBatch).where(ImportBatch.file_name == "people.csv")
                            ).all()
    assert len(batches) == 3 and all(b.finished_at is not None for b in batches)
    good = 600 - len(range(0, 600, 9))
    assert sum(b.rows_imported for b in batches) == good
    assert sum(b.rows_quarantined for b in batches) == 600 - good
    keys = record_keys(ws)
    assert len(keys) == good and max(keys.values()) == 1
    assert_log_covers_store(ws)
