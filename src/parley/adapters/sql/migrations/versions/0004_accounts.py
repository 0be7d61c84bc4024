"""login guard (per account-and-source slow-down, aggregated failures), re-authentication time

Revision ID: 0004_accounts
Revises: 0003_merge_features
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_accounts"
down_revision: str | Sequence[str] | None = "0003_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("reauthenticated_at", sa.DateTime(timezone=True),
                                   nullable=True))
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    op.create_index(op.f("ix_login_throttles_username"), "login_throttles", ["username"],
                    unique=False)
    op.create_table(
        "login_failure_windows",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sample", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_login_failure_windows")),
    )
    op.create_index(op.f("ix_login_failure_windows_started_at"), "login_failure_windows",
                    ["started_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_failure_windows_started_at"), table_name="login_failure_windows")
    op.drop_table("login_failure_windows")
    op.drop_index(op.f("ix_login_throttles_username"), table_name="login_throttles")
    op.drop_table("login_throttles")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("reauthenticated_at")
