"""``parley reconcile``: the other side's answer against our list, from the command line; the
table it prints and the CSV it writes are those of the stored reconciliation."""

from __future__ import annotations

import csv
from pathlib import Path

from parley.domain.actors import Actor, Role
from parley.services.reconciliation import stored_reconciliation
from parley.services.workspace import Workspace
from parley.synth.exchange import counterpart_scenario
from tests.conftest import Cli
from tests.services.reconcile_factory import answer_csv, list_from_scenario


def test_reconcile_prints_the_counts_and_writes_the_table(
        cli: Cli, ws: Workspace, operator: Actor, tmp_path: Path) -> None:
    scenario = counterpart_scenario(30, seed=5, n_registry=0, unknown_share=0.1)
    list_from_scenario(ws, operator, scenario)
    answer, table = tmp_path / "answer.csv", tmp_path / "table.csv"
    answer.write_bytes(answer_csv(scenario))
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
