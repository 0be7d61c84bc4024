"""Ending a user's credentials: every open web session and every API token, in one place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from parley.adapters.sql.auth_tables import ApiToken, WebSession


class CredentialRepository:
    """Sessions and tokens of a user, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def end_sessions(self, user_id: int, now: datetime, *, keep: str | None = None) -> int:
        """End every open session of the user (but ``keep``, a session id); returns how many."""
        query = update(WebSession).where(WebSession.user_id == user_id,
                                         WebSession.ended_at.is_(None))
        if keep is not None:
            query = query.where(WebSession.id != keep)
        done = self.session.execute(query.values(ended_at=now))
        return int(getattr(done, "rowcount", 0) or 0)

    def revoke_tokens(self, user_id: int, now: datetime) -> int:
        """Revoke every live API token of the user; returns how many."""
        done = self.session.execute(
            update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now))
        return int(getattr(done, "rowcount", 0) or 0)
