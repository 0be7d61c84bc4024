"""A small exchange day in a workspace: two lists of confirmed people (registry persons behind
the receive side), a stored plan, a fleet."""

from __future__ import annotations

import csv
from pathlib import Path

from parley.adapters.sql.tables import Person
from parley.domain.actors import Actor
from parley.domain.agreement import StageAgreement
from parley.domain.lists import Entry, Status
from parley.services import lists as svc
from parley.services.workspace import Workspace

SHEET = ("record_id", "side", "outcome", "will_to_return", "fit_to_travel", "note")


def build_day(ws: Workspace, actor: Actor, *, per_side: int = 12,
              sizes: tuple[int, ...] = (6, 6)) -> int:
    with ws.store.transaction() as tx:
        persons = [Person(display_name=f"R{i}", status="held") for i in range(per_side)]
        tx.add_all(persons)
        tx.flush()
        ids = [p.id for p in persons]
    for name, direction in (("g", "give"), ("r", "receive")):
        svc.create_list(ws, actor=actor, name=name, direction=direction)
    svc.add_entries(ws, actor=actor, name="g", entries=[
        Entry(key=f"G{i}", display_name=f"G {i}", family_name=f"Gfam{i}", given_name="Ivan",
              birth_date="1990-02-03", category="civilian" if i % 4 == 0 else "military",
              seriously_wounded=i == 1, status=Status.CONFIRMED,
              facts={"captivity_start": f"201{i % 10}-01-01",
                     "cannot_sit": "yes" if i == 2 else ""})
        for i in range(per_side)])
    svc.add_entries(ws, actor=actor, name="r", entries=[
        Entry(key=f"R{i}", display_name=f"R {i}", family_name=f"Rfam{i}", given_name="Petro",
              birth_date="1991-04-05", category="civilian" if i % 4 == 0 else "military",
              person_id=ids[i], status=Status.CONFIRMED,
              facts={"captivity_start": f"201{i % 10}-06-01", "service_number": f"SN-{i:04d}"})
        for i in range(per_side)])
    plan_id, _ = svc.plan_lists(ws, actor=actor, give="g", receive="r", stages=len(sizes),
                                agreement=StageAgreement(sizes=sizes))
    return plan_id


def write_csv(path: Path, header: tuple[str, ...] | list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header))
        writer.writeheader()
        writer.writerows(rows)
    return path
