"""The convoy assignment: every capacity and need holds on random stages and fleets, the convoy
is the smallest possible (checked against every subset of a small fleet), and a shortfall is
reported exactly when the fleet cannot carry the stage."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.adapters.solver.transport import assign_convoys
from parley.domain.exchange_day.fleet import (
    Traveller,
    Vehicle,
    VehicleKind,
    check_manifest,
    parse_vehicles,
)
from parley.domain.plan import SIDES
from parley.errors import Infeasible, InvalidInput


@st.composite
def stages_and_fleets(draw: st.DrawFn) -> tuple[list[Traveller], list[Vehicle]]:
    n_stages = draw(st.integers(1, 3))
    travellers = []
    vehicles = []
    for k in range(1, n_stages + 1):
        size = draw(st.integers(0, 25))
        for side in SIDES:
            for i in range(size):
                travellers.append(Traveller(f"{side[0]}{k}-{i}", side, k,
                                            draw(st.integers(0, 5)) == 0))
        for j in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from(list(VehicleKind)))
            vehicles.append(Vehicle(f"V{k}-{j}", kind, draw(st.integers(0, 12)),
                                    draw(st.integers(0, 4)), draw(st.integers(0, 2)), k))
    return travellers, vehicles


def _carries(travellers: list[Traveller], fleet: list[Vehicle]) -> bool:
    need = Counter((t.side, t.needs_stretcher) for t in travellers)
    seats = sum(v.seats for v in fleet)
    beds = sum(v.stretchers for v in fleet if v.medics > 0)
    return all(need[(s, False)] <= seats and need[(s, True)] <= beds for s in SIDES)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stages_and_fleets())
def test_every_capacity_and_need_holds_and_the_convoy_is_smallest(
    case: tuple[list[Traveller], list[Vehicle]],
) -> None:
    travellers, vehicles = case
    stages = sorted({t.stage for t in travellers} | {v.stage for v in vehicles})
    feasible = all(_carries([t for t in travellers if t.stage == k],
                            [v for v in vehicles if v.stage == k]) for k in stages)
    try:
        plan = assign_convoys(travellers, vehicles)
    except Infeasible as err:
        assert not feasible, f"refused a feasible fleet: {err}"
        assert str(err).startswith("stage ")
        return
    assert feasible
    check_manifest(travellers, vehicles, plan.seats)
    for k in stages:
        people = [t for t in travellers if t.stage == k]
        fleet = [v for v in vehicles if v.stage == k]
        used = {s.vehicle_id for s in plan.seats if s.stage == k}
        assert len(used) == plan.vehicles_used[k]
        smallest = next(n for n in range(len(fleet) + 1)
                        if any(_carries(people, list(c)) for c in combinations(fleet, n)))
        assert len(used) == smallest


def test_the_shortfall_is_named_in_planners_words() -> None:
    people = [Traveller(f"G{i}", "give", 1, i < 14) for i in range(40)]
    fleet = [Vehicle("AMB-1", VehicleKind.AMBULANCE, 2, 6, 1, 1),
             Vehicle("AMB-2", VehicleKind.AMBULANCE, 2, 4, 2, 1),
             Vehicle("AMB-3", VehicleKind.AMBULANCE, 2, 4, 0, 1),
             Vehicle("BUS-1", VehicleKind.BUS, 50, 0, 0, 1)]
    with pytest.raises(Infeasible) as err:
        assign_convoys(people, fleet)
    assert str(err.value) == ("stage 1 needs 14 stretcher places; its vehicles offer 10 "
                              "(4 more on vehicles without medics)")
    with pytest.raises(Infeasible, match="stage 2 has 1 people to move but no vehicles"):
        assign_convoys([Traveller("G1", "give", 2, False)], fleet)


def test_vehicle_file_errors_name_file_line_and_field() -> None:
    header = ["vehicle_id", "kind", "seats", "stretchers", "medics", "stage"]
    good = {"vehicle_id": "B1", "kind": "bus", "seats": "50", "stretchers": "0", "medics": "0",
            "stage": "1"}
    assert parse_vehicles([(2, good)], source="v.csv", header=header)[0].seats == 50
    with pytest.raises(InvalidInput, match=r"v.csv, line 3, field kind: unknown kind 'tank'"):
        parse_vehicles([(2, good), (3, {**good, "vehicle_id": "B2", "kind": "tank"})],
                       source="v.csv", header=header)
    with pytest.raises(InvalidInput, match=r"v.csv, line 2, field seats"):
        parse_vehicles([(2, {**good, "seats": "-1"})], source="v.csv", header=header)
    with pytest.raises(InvalidInput, match=r"missing column\(s\) medics"):
        parse_vehicles([], source="v.csv", header=[c for c in header if c != "medics"])
