"""The store's session: a SQLAlchemy ``Session`` that carries the store's repositories.

Services are handed an open transaction (the ``Tx`` port) and find the repositories on it
(``parley.services.ports.repositories_of``); the SQL repositories take the transaction back and
work in it through ``session_of``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from parley.services.ports import Repositories, Tx


class RepoSession(Session):
    """A session opened by a ``Store``; ``repos`` are that store's repositories."""

    def __init__(self, *args: Any, repos: Repositories, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repos = repos


def session_of(tx: Tx) -> Session:
    """The SQLAlchemy session behind a transaction a SQL store opened."""
    if not isinstance(tx, Session):
        raise TypeError(f"a SQL repository needs a transaction of a SQL store, not a "
                        f"{type(tx).__name__}")
    return tx
