"""Our list and the other side's answer from a generated counterpart scenario, as the
reconciliation tests of the service, the command line and the mediator's page set them up."""

from __future__ import annotations

import csv
import io

from parley.domain.actors import Actor
from parley.domain.lists import Entry
from parley.services import lists as svc
from parley.services.workspace import Workspace
from parley.synth.exchange import CounterpartScenario


def list_from_scenario(ws: Workspace, actor: Actor, scenario: CounterpartScenario, *,
                       name: str = "ours", facts: bool = False) -> None:
    """A receive list of the scenario's people (with number, sex and rank when ``facts``)."""
    svc.create_list(ws, actor=actor, name=name, direction="receive")
    svc.add_entries(ws, actor=actor, name=name, entries=[
        Entry(key=r["record_id"], display_name=f"{r['family_name']} {r['given_name']}",
              family_name=r["family_name"], given_name=r["given_name"],
              patronymic=r["patronymic"], birth_date=r["birth_date"],
              facts={k: r[k] for k in ("service_number", "sex", "rank") if r[k]} if facts
              else {})
        for r in scenario.list_rows])


def answer_csv(scenario: CounterpartScenario) -> bytes:
    """The other side's answer as the CSV file they would send."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(scenario.answer_rows[0]))
    writer.writeheader()
    writer.writerows(scenario.answer_rows)
    return out.getvalue().encode("utf-8")
