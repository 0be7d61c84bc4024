"""Agencies' approvals of list versions (each a signature over the version's content hash):
what the sign-off service needs of storage beyond the lists themselves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from parley.services.ports.tx import Tx


class ApprovalRow(Protocol):
    @property
    def list_id(self) -> int: ...

    @property
    def version(self) -> int: ...

    @property
    def content_hash(self) -> str: ...

    @property
    def agency_code(self) -> str: ...

    @property
    def username(self) -> str: ...

    @property
    def signature(self) -> str:
        """Hex of the agency's signature over the approval message."""

    @property
    def created_at(self) -> datetime: ...


class ListApprovals(Protocol):
    def of_version(self, tx: Tx, list_id: int, version: int) -> Sequence[ApprovalRow]:
        """Every approval of that version of the list, in the order they were given."""

    def by_user(self, tx: Tx, list_id: int, version: int, username: str) -> ApprovalRow | None:
        """The user's approval of that version, if they gave one."""

    def add(self, tx: Tx, *, list_id: int, version: int, content_hash: str, agency_code: str,
            username: str, signature: str) -> None: ...
