"""The convoy assignment, solved exactly by HiGHS (``scipy.optimize.milp``).

Per stage, integer variables ``a[v,s]`` (seats of vehicle v used on leg s: out with the people we
hand over, back with those we receive) and ``b[v,s]`` (stretcher places used), and a binary
``y[v]`` (vehicle v drives). Every planned person gets a place: ``sum_v a[v,s]`` is the number
of sitting people of side s, ``sum_v b[v,s]`` the number of stretcher cases; ``a <= seats·y``,
``b <= stretchers·y`` and 0 for a vehicle without medics. The objective is the smallest convoy
(fewest vehicles, then the earliest listed, which keeps the answer reproducible): fewer vehicles
on a corridor is less to escort and less exposed. People are then seated in plan order
(seriously wounded first), vehicle by vehicle. Stages are independent, so each is its own small
model.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from parley.domain.exchange_day.fleet import Seat, Traveller, Vehicle, shortfall
from parley.domain.plan import SIDES
from parley.errors import N_, Infeasible


@dataclass(frozen=True, slots=True)
class ConvoyPlan:
    seats: tuple[Seat, ...]
    vehicles_used: dict[int, int]
    status: str
    seconds: float


def _solve_stage(stage: int, travellers: Sequence[Traveller],
                 vehicles: Sequence[Vehicle]) -> tuple[list[Seat], int]:
    shortfall(stage, travellers, vehicles)
    if not travellers:
        return [], 0
    n = len(vehicles)
    # variable layout: a[v,s] at v*5+si, b[v,s] at v*5+2+si, y[v] at v*5+4
    nv = 5 * n
    lower = np.zeros(nv)
    upper = np.zeros(nv)
    for v, veh in enumerate(vehicles):
        for si in range(2):
            upper[v * 5 + si] = veh.seats
            upper[v * 5 + 2 + si] = veh.usable_stretchers
        upper[v * 5 + 4] = 1
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coefs: dict[int, float], low: float, high: float) -> None:
        r = len(lo)
        for j, value in coefs.items():
            rows.append(r)
            cols.append(j)
            vals.append(value)
        lo.append(low)
        hi.append(high)

    for si, side in enumerate(SIDES):
        sitting = sum(1 for t in travellers if t.side == side and not t.needs_stretcher)
        lying = sum(1 for t in travellers if t.side == side and t.needs_stretcher)
        add({v * 5 + si: 1.0 for v in range(n)}, sitting, sitting)
        add({v * 5 + 2 + si: 1.0 for v in range(n)}, lying, lying)
        for v, veh in enumerate(vehicles):
            add({v * 5 + si: 1.0, v * 5 + 4: -float(veh.seats)}, -np.inf, 0.0)
            add({v * 5 + 2 + si: 1.0, v * 5 + 4: -float(veh.usable_stretchers)}, -np.inf, 0.0)
    cost = np.zeros(nv)
    for v in range(n):
        cost[v * 5 + 4] = 1.0 + (v + 1) / (n + 1) / (n + 1)
    matrix = coo_matrix((vals, (rows, cols)), shape=(len(lo), nv)).tocsr()
    result = milp(cost, integrality=np.ones(nv), bounds=Bounds(lower, upper),
                  constraints=LinearConstraint(matrix, np.array(lo), np.array(hi)),
                  options={"mip_rel_gap": 0.0, "presolve": True, "time_limit": 60.0})
    if result.x is None or result.status != 0:
        raise Infeasible(
            N_("stage %(stage)s: no convoy carries everyone (%(message)s)"),
            stage=stage, message=result.message,
        )
    x = np.rint(result.x).astype(int)
    seats: list[Seat] = []
    for si, side in enumerate(SIDES):
        for needs, offset, place in ((True, 2, "stretcher"), (False, 0, "seat")):
            queue = [t for t in travellers if t.side == side and t.needs_stretcher == needs]
            pos = 0
            for v, veh in enumerate(vehicles):
                take = int(x[v * 5 + offset + si])
                for t in queue[pos:pos + take]:
                    seats.append(Seat(record_id=t.record_id, side=side, stage=stage,
                                      vehicle_id=veh.vehicle_id,
                                      place="stretcher" if place == "stretcher" else "seat"))
                pos += take
    return seats, int(sum(x[v * 5 + 4] for v in range(n)))


def assign_convoys(travellers: Sequence[Traveller], vehicles: Sequence[Vehicle]) -> ConvoyPlan:
    """Every traveller a place in a vehicle of their stage, with the smallest convoy per stage;
    Infeasible names the first stage and what it lacks."""
    started = time.perf_counter()
    by_stage_people: dict[int, list[Traveller]] = defaultdict(list)
    by_stage_fleet: dict[int, list[Vehicle]] = defaultdict(list)
    for t in travellers:
        by_stage_people[t.stage].append(t)
    for veh in vehicles:
        by_stage_fleet[veh.stage].append(veh)
    out: list[Seat] = []
    used: dict[int, int] = {}
    for stage in sorted(set(by_stage_people) | set(by_stage_fleet)):
        seats, n_used = _solve_stage(stage, by_stage_people[stage], by_stage_fleet[stage])
        out.extend(seats)
        used[stage] = n_used
    return ConvoyPlan(seats=tuple(out), vehicles_used=used, status="optimal",
                      seconds=time.perf_counter() - started)
