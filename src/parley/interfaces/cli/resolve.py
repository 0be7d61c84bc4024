"""``parley resolve``, ``parley review``, ``parley conflicts``, ``parley persons``: the workspace
side of identity resolution. Thin: each command calls one service and prints its result."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from parley.domain.identity import AUTO_ACCEPT, REVIEW_FLOOR
from parley.errors import Interrupted
from parley.interfaces.cli.common import (
    acting,
    console,
    err_console,
    plain,
    progress_bar,
    safe,
)
from parley.progress import Progress as ProgressFn
from parley.services.conflicts import list_conflicts, resolve_conflict
from parley.services.interrupts import stop_on_sigint
from parley.services.persons import person_view
from parley.services.resolution import resolve_identities, set_duplicate_free
from parley.services.review import record_review_decision, retract_judgement, review_queue

review_app = typer.Typer(help="The review queue: uncertain pairs and reviewers' decisions.",
                         no_args_is_help=True)
conflicts_app = typer.Typer(help="Contradictions between sources that a person must settle.",
                            no_args_is_help=True)
persons_app = typer.Typer(help="Resolved persons: records, evidence, verification.",
                          no_args_is_help=True)


@contextmanager
def _stages() -> Iterator[ProgressFn]:
    """One Rich bar per stage of a run (done/total), on standard error."""
    with progress_bar() as bars:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            _advance(bars, tasks, stage, done, total)

        yield report


def _advance(bars: Progress, tasks: dict[str, TaskID], stage: str, done: int,
             total: int | None) -> None:
    # An unknown total (None) draws a pulsing bar until the stage learns its size.
    size = None if total is None else max(total, 1)
    if stage not in tasks:
        tasks[stage] = bars.add_task(stage, total=size)
    bars.update(tasks[stage], completed=done, total=size)


def _exit_now(err: Interrupted) -> NoReturn:
    """One line, then exit without the interpreter's shutdown: the abandoned linking thread may
    still be inside DuckDB, and tearing the interpreter down under it aborts the process. The
    run's transaction has already rolled back, so there is nothing left to close cleanly."""
    err_console.print(f"error: {plain(err)}", markup=False, highlight=False, soft_wrap=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(err.exit_code)


def resolve(
    engine: Annotated[str, typer.Option(help="Linkage engine: duckdb (default) or spark.")]
    = "duckdb",
    full: Annotated[bool, typer.Option("--full", help="Re-link every record, not only new ones.")]
    = False,
    duplicate_free: Annotated[
        list[str] | None,
        typer.Option("--duplicate-free", metavar="SOURCE",
                     help="Mark a source as a list that holds each person once (repeatable)."),
    ] = None,
) -> None:
    """Link source records into persons (incrementally), raise conflicts, verify identities.

    Ctrl-C stops the run within about a second and leaves the store as it was before it."""
    ws, me = acting()
    for name in duplicate_free or []:
        set_duplicate_free(ws, actor=me, source=name)
    try:
        with stop_on_sigint() as stop, _stages() as report:
            result = resolve_identities(ws, actor=me, engine=engine, full=full,
                                        progress=report, stop=stop)
    except Interrupted as err:
        _exit_now(err)
    except KeyboardInterrupt:  # a second Ctrl-C: no waiting for a chunk to end
        _exit_now(Interrupted("interrupted: nothing of this run was saved, the store is as it "
                              "was before; run the command again to resume"))
    table = Table(title=f"Resolution run {result.run_id} ({result.engine}"
                        f"{', full' if result.full else ''}, {result.seconds} s)")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (
        ("records", result.records), ("new records", result.new_records),
        ("persons", result.persons), ("links", result.links), ("new links", result.new_links),
        ("pairs compared", result.pairs_compared),
        (f"in review band ({REVIEW_FLOOR:.2f}–{AUTO_ACCEPT:.2f})", result.in_review_band),
        ("conflicts open", result.conflicts_open), ("conflicts raised", result.conflicts_raised),
        ("verified persons", result.verified), ("reviewers' labels used", result.labels_used),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)


@review_app.command("list")
def review_list(
    limit: Annotated[int, typer.Option(help="How many pairs to show.")] = 20,
) -> None:
    """Uncertain pairs, most consequential first."""
    ws, me = acting()
    items = review_queue(ws, actor=me, limit=limit)
    if not items:
        console.print("The review queue is empty.")
        return
    table = Table(title="Review queue")
    for col in ("left", "right", "p", "priority", "records", "left record", "right record"):
        table.add_column(col)
    for it in items:
        table.add_row(
            str(it.left_record_id), str(it.right_record_id), f"{it.match_probability:.3f}",
            f"{it.priority:.3f}", str(it.records_affected), safe(_name(it.left)),
            safe(_name(it.right)),
        )
    console.print(table)


def _name(item: dict[str, object]) -> str:
    parts = [str(item.get(p, "") or "") for p in ("family_name", "given_name", "patronymic")]
    born = str(item.get("birth_date", "") or "")
    return " ".join(p for p in parts if p) + (f" ({born})" if born else "") + \
        f" [{item.get('source', '')}]"


@review_app.command("decide")
def review_decide(
    left: Annotated[int, typer.Argument(help="One record id of the pair.")],
    right: Annotated[int, typer.Argument(help="The other record id.")],
    decision: Annotated[str, typer.Argument(help="match, no-match or unsure.")],
    note: Annotated[str, typer.Option(help="Why (kept with the judgement).")] = "",
) -> None:
    """Record a decision on a pair; it overrides the model from now on."""
    ws, me = acting()
    j = record_review_decision(ws, actor=me, left_record_id=left,
                               right_record_id=right, decision=decision, note=note)
    console.print(f"Judgement {j.id}: records {j.left_record_id} and {j.right_record_id} — "
                  f"{safe(j.decision.replace('_', ' '))} (by {safe(j.actor)})")


@review_app.command("retract")
def review_retract(
    judgement_id: Annotated[int, typer.Argument(help="The judgement to withdraw.")],
    reason: Annotated[str, typer.Option(help="Why it is withdrawn.")],
) -> None:
    """Withdraw a judgement; the model decides that pair again."""
    ws, me = acting()
    j = retract_judgement(ws, actor=me, judgement_id=judgement_id,
                          reason=reason)
    console.print(f"Judgement {j.id} withdrawn: {safe(j.retraction_reason)}")


@conflicts_app.command("list")
def conflicts_list(
    state: Annotated[str, typer.Option(help="open, resolved, lapsed or all.")] = "open",
) -> None:
    """Conflicts between sources."""
    ws, me = acting()
    rows = list_conflicts(ws, actor=me, state=state)
    if not rows:
        console.print(safe(f"No {state if state != 'all' else ''} conflicts.".replace("  ", " ")))
        return
    table = Table(title=f"Conflicts ({safe(state)})")
    for col in ("id", "kind", "person", "state", "description"):
        table.add_column(col)
    for c in rows:
        table.add_row(str(c.id), safe(c.kind), str(c.person_id or ""), safe(c.state),
                      safe(c.description))
    console.print(table)


@conflicts_app.command("resolve")
def conflicts_resolve(
    conflict_id: Annotated[int, typer.Argument(help="The conflict to settle.")],
    reason: Annotated[str, typer.Option(help="How it was settled (kept and audited).")],
) -> None:
    """Settle a conflict with a reason."""
    ws, me = acting()
    c = resolve_conflict(ws, actor=me, conflict_id=conflict_id,
                         reason=reason)
    console.print(f"Conflict {c.id} ({safe(c.kind)}) resolved: {safe(c.resolution)}")


@persons_app.command("show")
def persons_show(
    person_id: Annotated[int, typer.Argument(help="Person id.")],
) -> None:
    """A person's records, evidence, conflicts and why the identity is (not) verified."""
    ws, me = acting()
    view = person_view(ws, actor=me, person_id=person_id)
    head = f"Person {view.id}"
    if view.requested_id != view.id:
        head += f" (merged from {view.requested_id})"
    console.print(f"[bold]{head}: {safe(view.person.get('display_name', ''))}[/bold] — "
                  f"status {safe(view.person.get('status', '?'))}")
    console.print(safe(view.verification.summary()))
    for r in view.verification.reasons:
        console.print(("  ✓ " if r.agrees else "  ✗ ") + plain(r.sentence()), markup=False)
    table = Table(title="Records")
    for col in ("record", "source", "agency", "grade", "name", "born", "service no.", "status"):
        table.add_column(col)
    for rec in view.records:
        table.add_row(
            str(rec["id"]), safe(rec.get("source", "")), safe(rec.get("agency_code", "")),
            safe(rec.get("reliability", "")),
            safe(" ".join(str(rec.get(p, "") or "") for p in ("family_name", "given_name",
                                                                 "patronymic")).strip()),
            safe(rec.get("birth_date", "")), safe(rec.get("service_number", "")),
            safe(rec.get("status", "")),
        )
    console.print(table)
    for c in view.conflicts:
        console.print(plain(f"conflict {c.id} [{c.state}] {c.kind}: {c.description}"),
                      markup=False)


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve)
    app.add_typer(review_app, name="review")
    app.add_typer(conflicts_app, name="conflicts")
    app.add_typer(persons_app, name="persons")
