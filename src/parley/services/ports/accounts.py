"""Users and agencies, as the account services read and change them.

A row a repository hands out is tracked by the transaction it was read in: setting one of its
attributes is saved when that transaction commits (the unit of work), so a service changes a
user the way it reads one, and the audit event commits with the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from parley.services.ports.tx import Tx


class UserRow(Protocol):
    """A user account; only hashes of its secrets are stored."""

    id: int
    username: str
    display_name: str
    password_hash: str
    role: str
    agency_code: str
    clearance: str
    totp_secret: str | None
    failed_logins: int
    locked_until: datetime | None
    is_active: bool


class Users(Protocol):
    def find(self, tx: Tx, username: str) -> UserRow | None:
        """The user of that exact name, if any."""

    def get(self, tx: Tx, user_id: int) -> UserRow | None: ...

    def add(self, tx: Tx, *, username: str, display_name: str, password_hash: str, role: str,
            agency_code: str, clearance: str) -> UserRow:
        """Store a new user (its id is set on return)."""

    def ordered(self, tx: Tx) -> Sequence[UserRow]:
        """Every user, by user name."""


class Agencies(Protocol):
    def exists(self, tx: Tx, code: str) -> bool: ...

    def codes(self, tx: Tx) -> list[str]:
        """Every agency's code, in order."""

    def add(self, tx: Tx, *, code: str, name: str) -> None: ...
