"""Users and agencies in SQL (the ``Users`` and ``Agencies`` ports)."""

from __future__ import annotations

from sqlalchemy import select

from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Agency, User
from parley.services.ports import Tx


class SqlUsers:
    def find(self, tx: Tx, username: str) -> User | None:
        return session_of(tx).scalar(select(User).where(User.username == username))

    def get(self, tx: Tx, user_id: int) -> User | None:
        return session_of(tx).get(User, user_id)

    def add(self, tx: Tx, *, username: str, display_name: str, password_hash: str, role: str,
            agency_code: str, clearance: str) -> User:
        session = session_of(tx)
        user = User(username=username, display_name=display_name, password_hash=password_hash,
                    role=role, agency_code=agency_code, clearance=clearance)
        session.add(user)
        session.flush()
        return user

    def ordered(self, tx: Tx) -> list[User]:
        return list(session_of(tx).scalars(select(User).order_by(User.username)))


class SqlAgencies:
    def exists(self, tx: Tx, code: str) -> bool:
        return session_of(tx).get(Agency, code) is not None

    def codes(self, tx: Tx) -> list[str]:
        return [str(c) for c in session_of(tx).scalars(select(Agency.code).order_by(Agency.code))]

    def add(self, tx: Tx, *, code: str, name: str) -> None:
        session = session_of(tx)
        session.add(Agency(code=code, name=name))
        session.flush()
