"""audit tree: stored leaf hashes (tiles) and frontiers at signed checkpoints

Revision ID: 0004_audit
Revises: 0003_merge_features
Create Date: 2026-12-06 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_audit"
down_revision: str | Sequence[str] | None = "0003_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_leaf_tiles",
        sa.Column("tile", ID, autoincrement=False, nullable=False),
        sa.Column("leaves", sa.Integer(), nullable=False),
        sa.Column("hashes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("tile", name=op.f("pk_audit_leaf_tiles")),
    )
    op.create_table(
        "audit_frontiers",
        sa.Column("size", ID, autoincrement=False, nullable=False),
        sa.Column("hashes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_audit_frontiers")),
    )


def downgrade() -> None:
    op.drop_table("audit_frontiers")
    op.drop_table("audit_leaf_tiles")
