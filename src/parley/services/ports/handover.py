"""The exchange day's storage: fleet and manifest, routes, check-ins and their contradiction
flags, incidents, stage closures, and the registry persons a closure releases. Values cross as
the domain's own types (``Vehicle``, ``Seat``, ``CheckIn``, ``Incident``) or the frozen records
below."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.domain.exchange_day.checkin import CheckIn
from parley.domain.exchange_day.fleet import Seat, StageLeg, Vehicle
from parley.domain.exchange_day.incidents import Incident
from parley.services.ports.tx import Tx


class HandoverClash(Exception):
    """Another transaction stored the same check-in or closure first (a unique key held); the
    caller's transaction is spoilt and must be rolled back and tried again."""


@dataclass(frozen=True, slots=True)
class RecordedCheckIn:
    checkin: CheckIn
    stage: int
    recorded_by: str
    recorded_at: datetime
    source: str


@dataclass(frozen=True, slots=True)
class Flag:
    side: str
    record_id: str
    source: str
    line: int
    recorded: dict[str, Any]
    incoming: dict[str, Any]
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Closure:
    stage: int
    closed_by: str
    closed_at: datetime
    imbalance_reason: str | None
    protocol_sha256: str
    protocol: str


class Handover(Protocol):
    # -- fleet and manifest
    def replace_fleet(self, tx: Tx, plan_id: int, vehicles: Sequence[Vehicle],
                      seats: Sequence[Seat]) -> None:
        """The stages named by the vehicles get this fleet and manifest (others are kept)."""

    def vehicles(self, tx: Tx, plan_id: int, stage: int | None = None) -> list[Vehicle]: ...

    def seats(self, tx: Tx, plan_id: int, stage: int | None = None) -> list[Seat]: ...

    def replace_routes(self, tx: Tx, plan_id: int, legs: Sequence[StageLeg]) -> None:
        """The stages named get these legs, in order (other stages keep theirs)."""

    def routes(self, tx: Tx, plan_id: int, stage: int) -> list[dict[str, str]]: ...

    # -- check-ins
    def checkins(self, tx: Tx, plan_id: int, stage: int | None = None
                 ) -> dict[tuple[str, str], RecordedCheckIn]:
        """By (side, record id)."""

    def add_checkins(self, tx: Tx, plan_id: int, stage: int, checkins: Iterable[CheckIn], *,
                     source: str, actor: str) -> None:
        """Raises ``HandoverClash`` if another transaction recorded one of them first."""

    def add_flag(self, tx: Tx, plan_id: int, stage: int, *, recorded: CheckIn,
                 incoming: CheckIn, source: str, line: int, reason: str, actor: str) -> bool:
        """Keep a contradiction once (the same flag from a re-import is not added twice)."""

    def flags(self, tx: Tx, plan_id: int, stage: int) -> list[Flag]: ...

    # -- incidents
    def add_incident(self, tx: Tx, plan_id: int, incident: Incident, *, actor: str) -> None: ...

    def incidents(self, tx: Tx, plan_id: int, stage: int) -> list[Incident]: ...

    # -- closing
    def closure(self, tx: Tx, plan_id: int, stage: int) -> Closure | None: ...

    def add_closure(self, tx: Tx, plan_id: int, stage: int, *, actor: str,
                    closed_at: datetime, imbalance_reason: str | None, protocol: bytes,
                    digest: str) -> None:
        """Raises ``HandoverClash`` if the stage was closed meanwhile."""

    def set_protocol(self, tx: Tx, plan_id: int, stage: int, protocol: bytes,
                     digest: str) -> None: ...

    def release_persons(self, tx: Tx, person_ids: Sequence[int]) -> list[int]:
        """Registry persons whose status becomes ``released``; returns those that changed."""
