"""Join the second round of feature branches (accounts, exchange day, …) into one head.

Each feature grew its tables off 0003 in parallel; later revisions descend from this one, so
``alembic upgrade head`` has one target.

Revision ID: 0005_merge_session3
"""

from collections.abc import Sequence

revision: str = "0005_merge_session3"
down_revision: str | Sequence[str] | None = (
    "0004_access",
    "0004_accounts",
    "0004_audit",
    "0004_exchday",
    "0004_families",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: a merge point only."""


def downgrade() -> None:
    """Nothing to change: a merge point only."""
