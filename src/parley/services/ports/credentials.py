"""Web sessions, API tokens and spent TOTP steps: what proves who a caller is.

Only hashes of session ids and tokens are stored; the repositories never see the secrets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.tx import Tx


class WebSessionRow(Protocol):
    id: str
    user_id: int
    last_seen_at: datetime
    expires_at: datetime
    second_factor_done: bool
    ended_at: datetime | None
    reauthenticated_at: datetime | None


class WebSessions(Protocol):
    def get(self, tx: Tx, session_id: str) -> WebSessionRow | None: ...

    def add(self, tx: Tx, *, session_id: str, user_id: int, now: datetime, expires_at: datetime,
            second_factor_done: bool) -> None:
        """Open a session at ``now`` (re-authenticated now when its second factor is done)."""

    def touch(self, tx: Tx, session_id: str, *, now: datetime, expires_at: datetime) -> None:
        """Move a session's last use and idle expiry forward."""

    def end_all(self, tx: Tx, user_id: int, now: datetime, *, keep: str | None = None) -> int:
        """End every open session of the user (but ``keep``, a session id); returns how many."""


class ApiTokenRow(Protocol):
    id: int
    user_id: int
    name: str
    prefix: str
    scopes: list[Any]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokens(Protocol):
    def add(self, tx: Tx, *, user_id: int, name: str, token_hash: str, prefix: str,
            scopes: list[str], expires_at: datetime | None) -> None: ...

    def get(self, tx: Tx, token_id: int) -> ApiTokenRow | None: ...

    def by_hash(self, tx: Tx, token_hash: str) -> ApiTokenRow | None: ...

    def of_user(self, tx: Tx, user_id: int | None) -> Sequence[ApiTokenRow]:
        """The user's tokens, oldest first (revoked ones too)."""

    def mark_used(self, tx: Tx, token_id: int, now: datetime) -> None: ...

    def revoke_all(self, tx: Tx, user_id: int, now: datetime) -> int:
        """Revoke every live token of the user; returns how many."""


class TotpSteps(Protocol):
    """The last TOTP time step each user spent, so one code cannot be replayed."""

    def last(self, tx: Tx, user_id: int) -> int:
        """The last spent step (0: none yet)."""

    def spend(self, tx: Tx, user_id: int, step: int) -> None: ...
