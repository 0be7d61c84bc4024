"""Indexes for paged search (issue 10, item 16): records in the order search shows them.

Revision ID: 0004_access
Revises: 0003_merge_features
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_access"
down_revision: str | Sequence[str] | None = "0003_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_source_records_name_order", "source_records",
                    ["family_name", "given_name", "id"], unique=False)
    op.create_index("ix_source_records_key_order", "source_records",
                    ["family_key", "family_name", "given_name", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_source_records_key_order", table_name="source_records")
    op.drop_index("ix_source_records_name_order", table_name="source_records")
