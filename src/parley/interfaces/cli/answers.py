"""``parley answers``: tasks and letters for families (Parley never sends them). Thin."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.errors import InvalidInput
from parley.interfaces.cli.common import acting, console
from parley.services.answers import (
    letter_pdf,
    list_tasks,
    record_sent,
    sync_answer_tasks,
    write_outbox,
)

answers_app = typer.Typer(help="Answers to families: tasks, letters (PDF), the outbox.",
                          no_args_is_help=True)


@answers_app.command("sync")
def sync_cmd() -> None:
    """Create a task for every change that matters to a family (held, on a list, …)."""
    ws, me = acting()
    made = sync_answer_tasks(ws, actor=me)
    console.print(f"{made} new tasks")


@answers_app.command("list")
def list_cmd(state: Annotated[str, typer.Option(help="due, sent or all.")] = "due") -> None:
    """Tasks for the family liaison."""
    table = Table("task", "inquiry", "event", "state", "created")
    ws, me = acting()
    for t in list_tasks(ws, actor=me,
                        state=None if state == "all" else state):
        table.add_row(str(t["task_id"]), str(t.get("inquiry_key") or t["id"]), t["event"],
                      t["state"], t["created_at"][:16])
    console.print(table)


@answers_app.command("outbox")
def outbox_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
) -> None:
    """The letters due, with whom to send them to."""
    ws, me = acting()
    rows = write_outbox(ws, actor=me, path=output)
    console.print(f"{rows} letters due, written to {output}")


@answers_app.command("letter")
def letter_cmd(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF file to write.")],
) -> None:
    """The task's letter as PDF (Ukrainian, then English)."""
    ws, me = acting()
    output.write_bytes(letter_pdf(ws, actor=me, task_id=task_id))
    console.print(f"letter written to {output}")


@answers_app.command("sent")
def sent_cmd(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    how: Annotated[str, typer.Option(help="post, email, phone, in_person or icrc.")],
    at: Annotated[str, typer.Option(help="When (ISO date/time); default now.")] = "",
) -> None:
    """Record that the letter was sent, how and when."""
    try:
        when = datetime.fromisoformat(at) if at else None
    except ValueError:
        raise InvalidInput(f"--at: '{at}' is not an ISO date or time") from None
    ws, me = acting()
    done = record_sent(ws, actor=me, task_id=task_id, how=how, at=when)
    console.print(f"task {done['task_id']} sent; inquiry {done['inquiry_state']}")


def register(app: typer.Typer) -> None:
    app.add_typer(answers_app, name="answers")
