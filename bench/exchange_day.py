"""Exchange-day benchmark: the convoy assignment and a check-in import, through the services.

1,000 a side planned in 5 stages (the first one of 500 a side, so one stage's sheet has 1,000
rows), a mixed fleet of 85 vehicles (buses, vans, ambulances, aircraft), then:

- ``assign_convoys`` alone (the HiGHS models, all stages) and ``assign_transport`` (the service:
  read plan and lists, solve, store the manifest, audit);
- importing the 1,000-row check-in sheet of stage 1, and importing it again (idempotent).

Targets: optimal assignment under 2 s, 1,000-row import under 2 s. SQLite in a temporary folder;
PostgreSQL too when PARLEY_BENCH_POSTGRES_URL is set.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from parley.adapters.solver.transport import assign_convoys
from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR
from parley.domain.agreement import StageAgreement
from parley.domain.exchange_day.fleet import Vehicle, VehicleKind, check_manifest
from parley.domain.lists import Entry, Status
from parley.services import handover, logistics
from parley.services import lists as lists_svc
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace
from parley.synth.exchange_day import checkin_rows

SIZES = (500, 125, 125, 125, 125)


def _fleet(seed: int) -> list[Vehicle]:
    rng = random.Random(seed)
    out: list[Vehicle] = []
    for k, size in enumerate(SIZES, start=1):
        scale = max(1, size // 125)
        mine = [Vehicle(f"S{k}-BUS{i}", VehicleKind.BUS, 50, 0, 1, k) for i in range(2 * scale)]
        mine += [Vehicle(f"S{k}-VAN{i}", VehicleKind.OTHER, 8, 0, 0, k) for i in range(10)]
        mine += [Vehicle(f"S{k}-AMB{i}", VehicleKind.AMBULANCE, 2, 4, 2, k)
                 for i in range(4 * scale + 1)]
        mine.append(Vehicle(f"S{k}-AIR", VehicleKind.AIRCRAFT, 60 * scale, 6, 3, k))
        rng.shuffle(mine)
        out.extend(mine)
    return out


def _entries(prefix: str, n: int, seed: int) -> list[Entry]:
    rng = random.Random(seed)
    return [Entry(key=f"{prefix}{i:05d}", display_name=f"{prefix} {i}", family_name=f"F{i}",
                  given_name="Name", birth_date=f"19{rng.randint(60, 99)}-01-01",
                  category="civilian" if rng.random() < 0.3 else "military",
                  seriously_wounded=rng.random() < 0.05, status=Status.CONFIRMED,
                  facts={"captivity_start": f"20{rng.randint(14, 24)}-03-01",
                         "cannot_sit": "yes" if rng.random() < 0.01 else ""})
            for i in range(n)]


def run(url: str, label: str, folder: Path) -> None:
    store = Store.from_url(url)
    ws = Workspace(store=store, settings=Settings(database_url=url, data_dir=folder / "data",
                                                  secret_key="bench"))
    init_workspace(ws, actor=LOCAL_OPERATOR)
    op = LOCAL_OPERATOR
    lists_svc.create_list(ws, actor=op, name="give", direction="give")
    lists_svc.create_list(ws, actor=op, name="receive", direction="receive")
    lists_svc.add_entries(ws, actor=op, name="give", entries=_entries("G", 1000, 1))
    lists_svc.add_entries(ws, actor=op, name="receive", entries=_entries("R", 1000, 2))
    plan_id, _ = lists_svc.plan_lists(ws, actor=op, give="give", receive="receive",
                                      stages=len(SIZES), agreement=StageAgreement(sizes=SIZES))
    plan = lists_svc.stored_plan(ws, actor=op, plan_id=plan_id)
    people = logistics.travellers(plan, logistics.entries_by_side(ws, actor=op, plan=plan))
    fleet = _fleet(7)
    started = time.perf_counter()
    convoy = assign_convoys(people, fleet)
    solve = time.perf_counter() - started
    check_manifest(people, fleet, convoy.seats)
    started = time.perf_counter()
    logistics.assign_transport(ws, actor=op, plan_id=plan_id, vehicles=fleet)
    service = time.perf_counter() - started
    lying = sum(t.needs_stretcher for t in people)
    print(f"[{label}] assign {len(people)} people ({lying} on stretchers) in {len(SIZES)} "
          f"stages to {len(fleet)} vehicles: {convoy.status}, {sum(convoy.vehicles_used.values())}"
          f" vehicles used; solver {solve:.3f} s, service with storage {service:.2f} s")
    rows = checkin_rows([t for t in people if t.stage == 1], seed=3, declined=0.01, unfit=0.01)
    sheet = folder / "sheet.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for attempt in ("first import", "re-import"):
        started = time.perf_counter()
        report = handover.import_checkin_sheet(ws, actor=op, plan_id=plan_id, stage=1,
                                               path=sheet)
        took = time.perf_counter() - started
        print(f"[{label}] check-in sheet of {len(rows)} rows, {attempt}: recorded "
              f"{report.recorded}, unchanged {report.unchanged}, flagged {report.flagged}; "
              f"{took:.2f} s")
    started = time.perf_counter()
    view = handover.stage_board(ws, actor=op, plan_id=plan_id, stage=1)
    print(f"[{label}] board of stage 1: balanced {view.board.balanced}, imbalance "
          f"{view.board.imbalance:+d}; {time.perf_counter() - started:.2f} s")
    store.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run(f"sqlite:///{folder / 'bench.db'}", "SQLite", folder)
    pg = os.environ.get("PARLEY_BENCH_POSTGRES_URL")
    if pg:
        schema = f"bench_exchday_{uuid.uuid4().hex[:8]}"
        admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in pg else "?"
        try:
            with tempfile.TemporaryDirectory() as tmp:
                run(f"{pg}{sep}options=-csearch_path%3D{schema}", "PostgreSQL", Path(tmp))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
