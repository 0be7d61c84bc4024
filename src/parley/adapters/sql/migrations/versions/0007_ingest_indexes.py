"""Drop three source-record indexes that longer ones already cover (issue 15, ingest speed).

Each new record updates every index of ``source_records``; these three cost about a quarter of
SQLite's insert time and answer no query the longer index that starts with the same columns
cannot: ``family_name`` is the prefix of ``ix_source_records_name_order``, ``family_key`` of
``ix_source_records_key_order`` and ``source_id`` of the unique ``(source_id, content_hash)``.
``tests/adapters/sql/test_query_plans.py`` checks that the queries still use an index.

Revision ID: 0007_ingest_indexes
Revises: 0006_conflict_settled_value
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_ingest_indexes"
down_revision: str | Sequence[str] | None = "0006_conflict_settled_value"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COVERED = (
    ("ix_source_records_family_name", "family_name"),
    ("ix_source_records_family_key", "family_key"),
    ("ix_source_records_source_id", "source_id"),
)


def upgrade() -> None:
    for name, _ in _COVERED:
        op.drop_index(name, table_name="source_records")


def downgrade() -> None:
    for name, column in _COVERED:
        op.create_index(name, "source_records", [column], unique=False)
