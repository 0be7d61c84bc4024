"""``parley reconcile COUNTERPART --list NAME``: the other side's answer, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.errors import UnreadableFile
from parley.interfaces.cli.common import acting, console, progress_bar, safe
from parley.services.reconciliation import (
    OUTCOMES,
    reconcile_counterpart_list,
    reconciliation_csv,
)


def reconcile(
    counterpart: Annotated[Path, typer.Argument(help="The other side's answer (CSV, XLSX, "
                                                "JSONL; Russian, Ukrainian or English headers).")],
    list_name: Annotated[str, typer.Option("--list", help="Our list it answers.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the full table as "
                                             "CSV.")] = None,
) -> None:
    """Link every row to our list and registry and classify it: confirmed, duplicate, on our
    registry but not on this list, doubtful (needs review) or unknown; and report the entries
    the answer did not mention."""
    ws, me = acting()
    with progress_bar(transient=True) as bar:
        task = bar.add_task("linking", total=100)

        def step(stage: str, fraction: float) -> None:
            bar.update(task, completed=int(fraction * 100), description=f"linking: {stage}")

        rec_id, result = reconcile_counterpart_list(ws, actor=me, name=list_name,
                                                    path=counterpart, progress=step)
    counts = result.counts()
    table = Table(title=safe(f"Reconciliation {rec_id} of {counterpart.name} against "
                             f"{list_name}"))
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    for outcome in OUTCOMES:
        table.add_row(outcome.replace("_", " "), str(counts[outcome]))
    console.print(table)
    if out is not None:
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                handle.write(reconciliation_csv(result))
        except OSError as err:
            raise UnreadableFile(f"{out}: {err.strerror or err}") from None
        console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)
