"""Join the feature branches of the first schema into one head.

The first release grew its tables in parallel branches off 0001 (auth, exchange, identity,
trust); later revisions descend from this one, so ``alembic upgrade head`` has one target.

Revision ID: 0003_merge_features
Revises: 0002_auth, 0002_exchange, 0002_identity, 0002_trust
"""

from collections.abc import Sequence

revision: str = "0003_merge_features"
down_revision: str | Sequence[str] | None = (
    "0002_auth",
    "0002_exchange",
    "0002_identity",
    "0002_trust",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: a merge point only."""


def downgrade() -> None:
    """Nothing to change: a merge point only."""
