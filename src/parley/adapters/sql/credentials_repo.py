"""Web sessions, API tokens and spent TOTP steps in SQL (the ``credentials`` ports)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from parley.adapters.sql.auth_tables import ApiToken, TotpState, WebSession
from parley.adapters.sql.session import session_of
from parley.services.ports import Tx


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class SqlWebSessions:
    def get(self, tx: Tx, session_id: str) -> WebSession | None:
        return session_of(tx).get(WebSession, session_id)

    def add(self, tx: Tx, *, session_id: str, user_id: int, now: datetime, expires_at: datetime,
            second_factor_done: bool) -> None:
        session_of(tx).add(WebSession(
            id=session_id, user_id=user_id, created_at=now, last_seen_at=now,
            expires_at=expires_at, second_factor_done=second_factor_done,
            reauthenticated_at=now if second_factor_done else None))

    def touch(self, tx: Tx, session_id: str, *, now: datetime, expires_at: datetime) -> None:
        session_of(tx).execute(update(WebSession).where(WebSession.id == session_id).values(
            last_seen_at=now, expires_at=expires_at))

    def end_all(self, tx: Tx, user_id: int, now: datetime, *, keep: str | None = None) -> int:
        query = update(WebSession).where(WebSession.user_id == user_id,
                                         WebSession.ended_at.is_(None))
        if keep is not None:
            query = query.where(WebSession.id != keep)
        return _count(session_of(tx).execute(query.values(ended_at=now)))


class SqlApiTokens:
    def add(self, tx: Tx, *, user_id: int, name: str, token_hash: str, prefix: str,
            scopes: list[str], expires_at: datetime | None) -> None:
        session = session_of(tx)
        session.add(ApiToken(user_id=user_id, name=name, token_hash=token_hash, prefix=prefix,
                             scopes=scopes, expires_at=expires_at))
        session.flush()

    def get(self, tx: Tx, token_id: int) -> ApiToken | None:
        return session_of(tx).get(ApiToken, token_id)

    def by_hash(self, tx: Tx, token_hash: str) -> ApiToken | None:
        return session_of(tx).scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def of_user(self, tx: Tx, user_id: int | None) -> list[ApiToken]:
        return list(session_of(tx).scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))

    def mark_used(self, tx: Tx, token_id: int, now: datetime) -> None:
        session_of(tx).execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))

    def revoke_all(self, tx: Tx, user_id: int, now: datetime) -> int:
        return _count(session_of(tx).execute(
            update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)))


class SqlTotpSteps:
    def last(self, tx: Tx, user_id: int) -> int:
        state = session_of(tx).get(TotpState, user_id)
        return state.last_step if state is not None else 0

    def spend(self, tx: Tx, user_id: int, step: int) -> None:
        session = session_of(tx)
        state = session.get(TotpState, user_id)
        if state is None:
            session.add(TotpState(user_id=user_id, last_step=step))
        else:
            state.last_step = step
