"""A conflict settled by choosing the value that stands keeps that value (issue 12).

Revision ID: 0006_conflict_settled_value
Revises: 0005_merge_session3
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_conflict_settled_value"
down_revision: str | Sequence[str] | None = "0005_merge_session3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("identity_conflicts") as batch:
        batch.add_column(sa.Column("settled_value", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_conflicts") as batch:
        batch.drop_column("settled_value")
