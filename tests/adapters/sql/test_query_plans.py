"""The queries that used the three source-record indexes dropped in migration 0007 still read an
index: the registry's search by spelling and by cross-script key, ingest's duplicate check, and
the family links' lookups by key. On SQLite (``EXPLAIN QUERY PLAN``) and on PostgreSQL
(``EXPLAIN`` with sequential scans priced out, so a plan without a usable index shows one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from parley.adapters.sql.ingest_repo import CONSTANT_COLUMNS, SqlRecordWriter
from parley.adapters.sql.registry_repo import _narrowed
from parley.adapters.sql.tables import SourceRecord
from parley.services.ports.registry import RecordFilter
from parley.services.workspace import Workspace


@pytest.fixture
def session(ws: Workspace) -> Iterator[Session]:
    with ws.store.reading() as found:
        if found.get_bind().dialect.name == "postgresql":
            found.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
        yield found


def _plan(session: Session, sql: str, params: tuple[Any, ...] = ()) -> str:
    """The plan as one line of text, on the session's own driver connection."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql, params)
        return " | ".join(" ".join(str(v) for v in row) for row in cursor.fetchall())
    finally:
        cursor.close()


def _statement_plan(session: Session, statement: Select[Any]) -> str:
    compiled = statement.compile(dialect=session.get_bind().dialect,
                                 compile_kwargs={"literal_binds": True})
    return _plan(session, str(compiled).replace("%", "%%"))


def _uses(plan: str, *indexes: str) -> bool:
    scans = ("Seq Scan on source_records", "SCAN source_records")
    return any(i in plan for i in indexes) and not any(s in plan for s in scans)


def test_search_by_spelling_reads_the_name_order_index(session: Session) -> None:
    where = RecordFilter(classifications=("restricted",), family_names=("Петренко",))
    query = _narrowed(where).where(SourceRecord.family_name == "Петренко").limit(50)
    assert _uses(_statement_plan(session, query), "ix_source_records_name_order")


def test_search_by_key_reads_the_key_order_index(session: Session) -> None:
    where = RecordFilter(classifications=("restricted",), family_keys=("petrenko",))
    query = _narrowed(where).where(SourceRecord.family_key == "petrenko").limit(50)
    assert _uses(_statement_plan(session, query), "ix_source_records_key_order")


def test_links_by_key_read_the_key_order_index(session: Session) -> None:
    for query in (
        select(SourceRecord.id).where(SourceRecord.family_key.in_(["a", "b"]),
                                      SourceRecord.person_id.is_not(None)),
        select(SourceRecord).where(SourceRecord.family_key.in_(["a", "b"]),
                                   SourceRecord.batch_id == 7),
    ):
        plan = _statement_plan(session, query)
        assert _uses(plan, "ix_source_records_key_order", "ix_source_records_batch_id"), plan


def test_ingest_duplicate_check_reads_the_unique_index(session: Session) -> None:
    writer = SqlRecordWriter(session, 1, dict.fromkeys(CONSTANT_COLUMNS), ())
    sqlite = session.get_bind().dialect.name == "sqlite"
    hashes: Any = '["ab", "cd"]' if sqlite else ["ab", "cd"]
    plan = _plan(session, writer.known_records, (1, hashes))
    # SQLite names a UNIQUE constraint's index itself.
    assert _uses(plan, "uq_source_records_source_content",
                 "sqlite_autoindex_source_records_1"), plan
