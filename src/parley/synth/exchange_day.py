"""Synthetic exchange-day inputs: a mixed fleet for a plan's stages and check-in sheets."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from parley.domain.exchange_day.fleet import Traveller, Vehicle, VehicleKind


def fleet_for(travellers: Sequence[Traveller], *, seed: int, spare: float = 0.1) -> list[Vehicle]:
    """Buses (50 seats), ambulances (2 seats, 4 stretchers, 2 medics), now and then an aircraft
    (120 seats, 10 stretchers, 4 medics) and other vans (8 seats): enough for each stage, with
    ``spare`` capacity, in a shuffled order so the solver has choices to make."""
    rng = random.Random(seed)
    out: list[Vehicle] = []
    stages = sorted({t.stage for t in travellers})
    for k in stages:
        need = Counter((t.side, t.needs_stretcher) for t in travellers if t.stage == k)
        sitting = max(need[("give", False)], need[("receive", False)])
        lying = max(need[("give", True)], need[("receive", True)])
        fleet: list[Vehicle] = []
        if rng.random() < 0.3:
            fleet.append(Vehicle(f"S{k}-AIR1", VehicleKind.AIRCRAFT, 120, 10, 4, k))
        beds = sum(v.usable_stretchers for v in fleet)
        seats = sum(v.seats for v in fleet)
        n = 1
        while beds < lying * (1 + spare):
            fleet.append(Vehicle(f"S{k}-AMB{n}", VehicleKind.AMBULANCE, 2, 4, 2, k))
            beds += 4
            seats += 2
            n += 1
        n = 1
        while seats < sitting * (1 + spare):
            if rng.random() < 0.2:
                fleet.append(Vehicle(f"S{k}-VAN{n}", VehicleKind.OTHER, 8, 0, 0, k))
                seats += 8
            else:
                fleet.append(Vehicle(f"S{k}-BUS{n}", VehicleKind.BUS, 50, 0, 1, k))
                seats += 50
            n += 1
        rng.shuffle(fleet)
        out.extend(fleet)
    return out


def checkin_rows(travellers: Sequence[Traveller], *, seed: int,
                 declined: float = 0.0, unfit: float = 0.0) -> list[dict[str, str]]:
    """One sheet row per traveller: mostly transferred, some declined or unfit."""
    rng = random.Random(seed)
    rows = []
    for t in travellers:
        roll = rng.random()
        if roll < declined:
            row = ("declined", "no", "yes", "does not wish to return")
        elif roll < declined + unfit:
            row = ("unfit", "yes", "no", "not fit to travel")
        else:
            row = ("transferred", "yes", "yes", "")
        rows.append({"record_id": t.record_id, "side": t.side, "outcome": row[0],
                     "will_to_return": row[1], "fit_to_travel": row[2], "note": row[3]})
    return rows
