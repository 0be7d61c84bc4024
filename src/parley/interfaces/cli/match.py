"""``parley match``: one-shot linkage of two files, or deduplication of one (no workspace)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parley.errors import InvalidInput
from parley.interfaces.cli.common import console, err_console, plain, progress_bar
from parley.services.matching import MatchReport, dedupe_file, match_files

_STAGES = ("prepare", "train", "block", "predict", "done")


def match(
    files: Annotated[
        list[Path], typer.Argument(help="LEFT.csv RIGHT.csv, or one FILE with --dedupe")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output CSV")],
    threshold: Annotated[
        float, typer.Option("--threshold", help="Lowest match probability written")
    ] = 0.5,
    engine: Annotated[str, typer.Option("--engine", help="duckdb or spark")] = "duckdb",
    dedupe: Annotated[
        bool, typer.Option("--dedupe", help="Cluster one file's records into persons")
    ] = False,
) -> None:
    """Link LEFT.csv with RIGHT.csv into left_id,right_id,match_probability pairs, or with
    --dedupe cluster one file into record_id,cluster_id."""
    if engine not in ("duckdb", "spark"):
        raise InvalidInput(f"--engine: '{engine}' is not duckdb or spark")
    if dedupe and len(files) != 1:
        raise InvalidInput("--dedupe takes exactly one FILE")
    if not dedupe and len(files) != 2:
        raise InvalidInput("match takes two files, LEFT.csv RIGHT.csv (or --dedupe FILE)")
    with progress_bar(transient=True) as bar:
        task = bar.add_task("reading files", total=len(_STAGES))

        def progress(stage: str, fraction: float) -> None:
            step = _STAGES.index(stage) if stage in _STAGES else 0
            bar.update(task, completed=step + min(fraction, 1.0), description=stage)

        report: MatchReport
        if dedupe:
            report = dedupe_file(
                files[0], output, threshold=threshold, engine=engine, progress=progress
            )
        else:
            report = match_files(
                files[0], files[1], output, threshold=threshold, engine=engine,
                progress=progress,
            )  # fmt: skip
    for warning in report.warnings[:20]:
        err_console.print(f"warning: {plain(warning)}", markup=False, highlight=False)
    if len(report.warnings) > 20:
        err_console.print(f"warning: … and {len(report.warnings) - 20} more", markup=False)
    what = "clusters rows" if dedupe else "pairs"
    console.print(
        f"{report.rows_written} {what} written to {report.output} "
        f"(records {' × '.join(str(n) for n in report.records)}, "
        f"pairs compared {report.stats.get('pairs_compared')})",
        markup=False,
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command(name="match")(match)
