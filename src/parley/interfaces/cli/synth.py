"""``parley synth``: write realistic synthetic agency files with their ground truth."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from parley.errors import InvalidInput
from parley.interfaces.cli.common import console, progress_bar
from parley.synth.generate import DIFFICULTIES, generate


def synth(
    people: int = typer.Option(..., "--people", min=1, help="How many synthetic persons."),
    out: Path = typer.Option(..., "--out", help="Folder to write the files into."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same files."),
    difficulty: str = typer.Option(
        "full", "--difficulty",
        help="'full' adds a few malformed rows that ingest must quarantine; 'clean' does not."),
) -> None:
    """Write the agencies' source files (MOD, MOI, DIU, SSU, OMB and the other side's list) about
    the same synthetic people, with the variation real records have, plus truth.csv
    (source, record_id, person_id) and manifest.json (files, agency, source, reliability)."""
    if difficulty not in DIFFICULTIES:
        raise InvalidInput(f"--difficulty must be one of {', '.join(DIFFICULTIES)}")
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out}: exists and is not a folder")
    with progress_bar(transient=True) as bars:
        task = bars.add_task("writing source files", total=6)

        def step(name: str) -> None:
            bars.update(task, advance=1, description=f"writing {name}")

        try:
            manifest = generate(people, seed, out, difficulty, progress=step)
        except OSError as err:
            raise InvalidInput(f"{out}: cannot write ({err.strerror})") from None
    table = Table(title=f"{people} synthetic persons, seed {seed} → {out}")
    for column in ("file", "agency", "source", "rows", "reliability"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for f in manifest.files:
        table.add_row(f.file, f.agency, f.source, str(f.rows), f.reliability)
    console.print(table)
    bad = len(manifest.expected_quarantine)
    console.print(f"Ground truth in {out / manifest.truth_file}; {bad} rows are malformed on "
                  "purpose (listed in manifest.json).", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command(name="synth")(synth)
