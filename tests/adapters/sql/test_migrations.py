"""The migrations and the table definitions must describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from parley.adapters.sql.models import metadata
from parley.services.workspace import Workspace


def test_migrated_schema_matches_the_tables(ws: Workspace) -> None:
    with ws.store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_store_is_at_the_newest_revision(ws: Workspace) -> None:
    assert ws.store.is_current()


def test_migrations_have_one_head(ws: Workspace) -> None:
    assert ws.store.latest_heads() == ["0007_ingest_indexes"]
    assert ws.store.current_heads() == ["0007_ingest_indexes"]
