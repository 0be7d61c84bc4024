"""``parley reconcile``: the other side's answer against our list, from the command line; the
table it prints and the CSV it writes are those of the stored reconciliation."""

from __future__ import annotations

import csv
from pathlib import Path

from parley.domain.actors import Actor, Role
from parley.domain.lists import Entry
from parley.services import lists as svc
from parley.services.reconciliation import stored_reconciliation
from parley.services.workspace import Workspace
from parley.synth.exchange import counterpart_scenario
from tests.conftest import Cli


def test_reconcile_prints_the_counts_and_writes_the_table(
        cli: Cli, ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    scenario = counterpart_scenario(30, seed=5, n_registry=0, unknown_share=0.1)
    svc.create_list(ws, actor=operator, name="ours", direction="receive")
    svc.add_entries(ws, actor=operator, name="ours", entries=[
        Entry(key=r["record_id"], display_name=f"{r['family_name']} {r['given_name']}",
              family_name=r["family_name"], given_name=r["given_name"],
              patronymic=r["patronymic"], birth_date=r["birth_date"])
        for r in scenario.list_rows])
    answer, table = tmp_path / "answer.csv", tmp_path / "table.csv"
    with answer.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scenario.answer_rows[0]))
        writer.writeheader()
        writer.writerows(scenario.answer_rows)
    cli.as_user("coord", Role.COORDINATOR)

    done = cli("reconcile", str(answer), "--list", "ours", "-o", str(table))

    assert done.returncode == 0, done.stderr
    stored = stored_reconciliation(ws, actor=operator, name="ours")
    assert f"Reconciliation {stored.id} of answer.csv" in done.stdout
    assert stored.counts["confirmed"] >= 20
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(stored.rows)
    assert sum(r["outcome"] == "confirmed" for r in rows) == stored.counts["confirmed"]
    assert cli("reconcile", str(answer), "--list", "nobody's").returncode != 0
