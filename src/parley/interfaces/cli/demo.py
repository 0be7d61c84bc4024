"""``parley demo``: a demo workspace on SQLite, every pipeline stage, then the web app."""

from __future__ import annotations

import typer
from rich.progress import TaskID
from rich.table import Table

from parley.domain.actors import LOCAL_OPERATOR
from parley.interfaces.cli.common import console, progress_bar, workspace
from parley.interfaces.cli.serve import serve_as
from parley.services.demo import DemoSummary, build_demo


def _print_summary(summary: DemoSummary) -> None:
    table = Table(title="Demo workspace", show_header=False)
    table.add_row("sources", str(summary.sources))
    table.add_row("source records", str(summary.records))
    table.add_row("quarantined rows", str(summary.quarantined))
    table.add_row("persons", str(summary.persons))
    table.add_row("verified persons", str(summary.verified))
    console.print(table)
    for step in summary.steps:
        console.print(f"  • {step}", markup=False, highlight=False)
    accounts = Table(title="Demo accounts (new passwords each run; shown only here)")
    for column in ("user", "role", "agency", "password"):
        accounts.add_column(column)
    for row in summary.accounts:
        accounts.add_row(*row)
    console.print(accounts)


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app after."),
        people: int = typer.Option(1500, min=50, help="How many synthetic people."),
        seed: int = typer.Option(7, help="Seed of the synthetic data."),
        host: str = typer.Option("127.0.0.1", help="Address to serve on."),
        port: int = typer.Option(8000, help="Port to serve on."),
    ) -> None:
        """Build a demo workspace with synthetic data, run every stage, print a summary, serve."""
        ws = workspace(require_current=False)
        with progress_bar() as bars:
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bars.add_task(stage, total=max(total or done, 1))
                bars.update(tasks[stage], completed=done, total=max(total or done, 1))

            out = ws.settings.data_dir / "demo-sources"
            summary = build_demo(ws, actor=LOCAL_OPERATOR, people=people, seed=seed, out=out,
                                 progress=report)
        _print_summary(summary)
        if serve:  # still the system that built it: nobody could sign in before
            serve_as(ws, LOCAL_OPERATOR, host=host, port=port)
