"""Vehicles, places, route legs, and the manifest that puts every planned person in a vehicle.

A convoy drives the people we hand over (side ``give``) to the handover point and brings the
people we receive (side ``receive``) back, so a vehicle's seats and stretcher places hold on each
leg separately. A person who is seriously wounded or cannot sit needs a stretcher place, and a
vehicle carrying stretcher patients must carry medical staff, so the stretcher places of a vehicle
without medics cannot be used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from parley.domain.plan import SIDES, Side
from parley.errors import N_, Infeasible, InvalidInput, ParityViolation, Text, in_file

VEHICLE_COLUMNS = ("vehicle_id", "kind", "seats", "stretchers", "medics", "stage")
MANIFEST_COLUMNS = ("record_id", "side", "stage", "vehicle_id", "place")
PlaceKind = Literal["seat", "stretcher"]


class VehicleKind(StrEnum):
    BUS = "bus"
    AMBULANCE = "ambulance"
    AIRCRAFT = "aircraft"
    OTHER = "other"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Vehicle:
    vehicle_id: str
    kind: VehicleKind
    seats: int
    stretchers: int
    medics: int
    stage: int

    @property
    def usable_stretchers(self) -> int:
        """Stretcher places that may carry a patient: none without medical staff on board."""
        return self.stretchers if self.medics > 0 else 0


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: Literal["assembly", "checkpoint", "handover"]


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One leg of the agreed corridor, with its risk, time window (ISO times) and escort."""

    start: Place
    end: Place
    risk: Risk
    window_start: str
    window_end: str
    escort: str


ROUTE_COLUMNS = ("stage", "from", "from_kind", "to", "to_kind", "risk", "window_start",
                 "window_end", "escort")
PLACE_KINDS = ("assembly", "checkpoint", "handover")


@dataclass(frozen=True, slots=True)
class StageLeg:
    stage: int
    leg: RouteLeg

    def as_data(self) -> dict[str, str]:
        return {"from": self.leg.start.name, "from_kind": self.leg.start.kind,
                "to": self.leg.end.name, "to_kind": self.leg.end.kind,
                "risk": self.leg.risk.value, "window_start": self.leg.window_start,
                "window_end": self.leg.window_end, "escort": self.leg.escort}


def _place(name: str, kind: str, *, where: Text) -> Place:
    if not name:
        raise InvalidInput(N_("%(where)s: empty place name"), where=where)
    if kind == "assembly":
        return Place(name, "assembly")
    if kind == "checkpoint":
        return Place(name, "checkpoint")
    if kind == "handover":
        return Place(name, "handover")
    raise InvalidInput(
        N_("%(where)s_kind: '%(kind)s' is not assembly, checkpoint or handover"),
        where=where, kind=kind,
    )


def parse_routes(rows: Iterable[tuple[int, Mapping[str, str]]], *, source: str,
                 header: Sequence[str]) -> list[StageLeg]:
    """Route legs in file order per stage; each stage's legs must join up (a leg starts where
    the one before ended), run inside their agreed time window and end at the handover point."""
    from datetime import datetime

    missing = [c for c in ROUTE_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            N_("%(source)s, line 1: missing column(s) %(missing)s"),
            source=source, missing=', '.join(missing),
        )
    out: list[StageLeg] = []
    last: dict[int, tuple[int, RouteLeg]] = {}
    for line, row in rows:
        def where(column: str, line: int = line) -> Text:
            return in_file(source, line, column)

        def cell(column: str, row: Mapping[str, str] = row) -> str:
            return (row.get(column) or "").strip()

        stage = _int(cell("stage"), source=source, line=line, column="stage")
        if stage < 1:
            raise InvalidInput(N_("%(where)s: stages start at 1"), where=where('stage'))
        start = _place(cell("from"), cell("from_kind").lower(), where=where("from"))
        end = _place(cell("to"), cell("to_kind").lower(), where=where("to"))
        try:
            risk = Risk(cell("risk").lower())
        except ValueError:
            raise InvalidInput(
                N_("%(where)s: '%(cell)s' is not low, medium or high"),
                where=where('risk'), cell=cell('risk'),
            ) from None
        times = []
        for column in ("window_start", "window_end"):
            try:
                times.append(datetime.fromisoformat(cell(column)))
            except ValueError:
                raise InvalidInput(
                    N_("%(where)s: '%(cell)s' is not an ISO date and time (2025-05-23T06:00)"),
                    where=where(column), cell=cell(column),
                ) from None
        if times[1] <= times[0]:
            raise InvalidInput(
                N_("%(where)s: the window ends before it starts"),
                where=where('window_end'),
            )
        if not cell("escort"):
            raise InvalidInput(
                N_("%(where)s: every leg of the corridor needs its escort"),
                where=where('escort'),
            )
        leg = RouteLeg(start=start, end=end, risk=risk, window_start=cell("window_start"),
                       window_end=cell("window_end"), escort=cell("escort"))
        if stage in last and last[stage][1].end.name != start.name:
            raise InvalidInput(
                N_("%(where)s: stage %(stage)s's route breaks: the leg on line %(last)s ends "
                   "at %(last_end_name)s"),
                where=where('from'), stage=stage, last=last[stage][0],
                last_end_name=last[stage][1].end.name,
            )
        last[stage] = (line, leg)
        out.append(StageLeg(stage=stage, leg=leg))
    for stage, (line, leg) in sorted(last.items()):
        if leg.end.kind != "handover":
            raise InvalidInput(
                N_("%(source)s, line %(line)s, field to_kind: stage %(stage)s's route does "
                   "not end at a handover point"),
                source=source, line=line, stage=stage,
            )
    return out


@dataclass(frozen=True, slots=True)
class Traveller:
    record_id: str
    side: Side
    stage: int
    needs_stretcher: bool


@dataclass(frozen=True, slots=True)
class Seat:
    record_id: str
    side: Side
    stage: int
    vehicle_id: str
    place: PlaceKind


def _int(raw: str | None, *, source: str, line: int, column: str) -> int:
    text = (raw or "").strip()
    if not text.isdigit():
        raise InvalidInput(
            N_("%(source)s, line %(line)s, field %(column)s: '%(text)s' is not a whole number "
               "≥ 0"),
            source=source, line=line, column=column, text=text,
        )
    return int(text)


def parse_vehicles(rows: Iterable[tuple[int, Mapping[str, str]]], *, source: str,
                   header: Sequence[str]) -> list[Vehicle]:
    """Vehicles from (line, row) pairs; the first bad value stops with file, line and field."""
    missing = [c for c in VEHICLE_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            N_("%(source)s, line 1: missing column(s) %(missing)s"),
            source=source, missing=', '.join(missing),
        )
    out: list[Vehicle] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        vid = (row.get("vehicle_id") or "").strip()
        if not vid:
            raise InvalidInput(
                N_("%(source)s, line %(line)s, field vehicle_id: empty"),
                source=source, line=line,
            )
        if vid in seen:
            raise InvalidInput(
                N_("%(source)s, line %(line)s, field vehicle_id: duplicate id '%(vid)s' "
                   "(first on line %(seen)s)"),
                source=source, line=line, vid=vid, seen=seen[vid],
            )
        seen[vid] = line
        kind = (row.get("kind") or "").strip().lower()
        if kind not in set(VehicleKind):
            raise InvalidInput(
                N_("%(source)s, line %(line)s, field kind: unknown kind '%(kind)s' (expected "
                   "bus, ambulance, aircraft or other)"),
                source=source, line=line, kind=kind,
            )
        stage = _int(row.get("stage"), source=source, line=line, column="stage")
        if stage < 1:
            raise InvalidInput(
                N_("%(source)s, line %(line)s, field stage: stages start at 1"),
                source=source, line=line,
            )
        out.append(Vehicle(
            vehicle_id=vid, kind=VehicleKind(kind),
            seats=_int(row.get("seats"), source=source, line=line, column="seats"),
            stretchers=_int(row.get("stretchers"), source=source, line=line,
                            column="stretchers"),
            medics=_int(row.get("medics"), source=source, line=line, column="medics"),
            stage=stage,
        ))
    return out


def shortfall(stage: int, travellers: Sequence[Traveller], vehicles: Sequence[Vehicle]) -> None:
    """Raise Infeasible with the first shortfall of a stage's convoy, in words a planner uses
    ("stage 1 needs 14 stretcher places; its vehicles offer 10"); silent when it can carry all."""
    if travellers and not vehicles:
        raise Infeasible(
            N_("stage %(stage)s has %(count)s people to move but no vehicles"),
            stage=stage, count=len(travellers),
        )
    need = Counter((t.side, t.needs_stretcher) for t in travellers)
    stretchers = sum(v.usable_stretchers for v in vehicles)
    idle = sum(v.stretchers for v in vehicles) - stretchers
    seats = sum(v.seats for v in vehicles)
    for side in SIDES:
        on_side: Text | str = "" if side == "give" else Text(N_(" on the way back"))
        if need[(side, True)] > stretchers:
            note: Text | str = (Text(N_(" (%(idle)s more on vehicles without medics)"), idle=idle)
                                if idle else "")
            raise Infeasible(
                N_("stage %(stage)s needs %(need)s stretcher places%(on_side)s; its vehicles "
                   "offer %(stretchers)s%(note)s"),
                stage=stage, need=need[(side, True)], on_side=on_side, stretchers=stretchers,
                note=note,
            )
        if need[(side, False)] > seats:
            raise Infeasible(
                N_("stage %(stage)s needs %(need)s seats%(on_side)s; its vehicles offer "
                   "%(seats)s"),
                stage=stage, need=need[(side, False)], on_side=on_side, seats=seats,
            )


def check_manifest(travellers: Sequence[Traveller], vehicles: Sequence[Vehicle],
                   seats: Sequence[Seat]) -> None:
    """The referee: every traveller placed once, in a vehicle of the stage, stretcher cases on
    stretchers, medics where there are stretcher patients, capacities per leg."""
    by_vehicle = {v.vehicle_id: v for v in vehicles}
    expected = {(t.side, t.record_id): t for t in travellers}
    placed: set[tuple[str, str]] = set()
    load: Counter[tuple[str, Side, str]] = Counter()
    for s in seats:
        key = (s.side, s.record_id)
        person = expected.get(key)
        if person is None:
            raise ParityViolation(
                N_("%(side)s %(record_id)s is on the manifest but not planned"),
                side=s.side, record_id=s.record_id,
            )
        if key in placed:
            raise ParityViolation(
                N_("%(side)s %(record_id)s is placed twice"),
                side=s.side, record_id=s.record_id,
            )
        placed.add(key)
        vehicle = by_vehicle.get(s.vehicle_id)
        if vehicle is None or vehicle.stage != person.stage or s.stage != person.stage:
            raise ParityViolation(
                N_("%(record_id)s rides %(vehicle_id)s, not a vehicle of stage %(stage)s"),
                record_id=s.record_id, vehicle_id=s.vehicle_id, stage=person.stage,
            )
        if person.needs_stretcher and s.place != "stretcher":
            raise ParityViolation(
                N_("%(record_id)s needs a stretcher place"),
                record_id=s.record_id,
            )
        if s.place == "stretcher" and vehicle.medics < 1:
            raise ParityViolation(
                N_("%(vehicle_id)s carries a stretcher patient without medics"),
                vehicle_id=s.vehicle_id,
            )
        load[(s.vehicle_id, s.side, s.place)] += 1
    missing = set(expected) - placed
    if missing:
        side, record = sorted(missing)[0]
        raise ParityViolation(
            N_("%(side)s %(record)s has no place in any vehicle"),
            side=side, record=record,
        )
    for (vid, side, place), n in load.items():
        cap = by_vehicle[vid].seats if place == "seat" else by_vehicle[vid].stretchers
        if n > cap:
            raise ParityViolation(
                N_("%(vid)s carries %(n)s on %(place)ss on the %(side)s leg; it has %(cap)s"),
                vid=vid, n=n, place=place, side=side, cap=cap,
            )
