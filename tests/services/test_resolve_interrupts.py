"""A stop request (Ctrl-C) at any stage of ``resolve_identities`` raises ``Interrupted`` and
leaves the store exactly as before; the next run then resolves as if nothing had happened.

In process and deterministic: the stop is requested from the progress callback when a chosen
stage reports, which is where a real Ctrl-C is noticed too. The real signal on a real process is
``tests/faults/test_resolve_sigint.py``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from parley.adapters.sql.identity_tables import IdentityLink, ResolutionRun
from parley.adapters.sql.tables import AuditEventRow, Evidence, Person, SourceRecord
from parley.domain.actors import Actor
from parley.errors import Interrupted
from parley.services.interrupts import StopSignal, run_stoppable
from parley.services.resolution import resolve_identities
from parley.services.workspace import Workspace
from tests.services.identity_factory import PEOPLE, add_records


def _state(ws: Workspace) -> tuple[int, ...]:
    with ws.store.reading() as tx:
        return tuple(int(tx.scalar(stmt) or 0) for stmt in (
            select(func.count()).select_from(ResolutionRun),
            select(func.count()).select_from(IdentityLink),
            select(func.count()).select_from(Person),
            select(func.count()).select_from(Evidence),
            select(func.count()).select_from(AuditEventRow),
            select(func.count()).select_from(SourceRecord)
            .where(SourceRecord.person_id.is_not(None)),
        ))


@pytest.mark.parametrize("stage", ["reading records", "linking: train", "storing links",
                                   "clustering", "assigning persons", "persons"])
def test_a_stop_at_any_stage_rolls_the_whole_run_back(
    ws: Workspace, operator: Actor, stage: str,
) -> None:
    add_records(ws, source="MOD register", agency="MOD", rows=PEOPLE, reliability="A1")
    add_records(ws, source="SSU reports", agency="SSU", rows=PEOPLE[:5], reliability="B2")
    before = _state(ws)
    stop = StopSignal()
    seen: list[str] = []

    def progress(name: str, done: int, total: int | None) -> None:
        seen.append(name)
        if name == stage:
            stop.request()

    with pytest.raises(Interrupted) as caught:
        resolve_identities(ws, actor=operator, progress=progress, stop=stop)
    assert stage in seen
    assert "interrupted during" in str(caught.value) and caught.value.exit_code == 130
    assert _state(ws) == before

    report = resolve_identities(ws, actor=operator)
    assert report.new_records == len(PEOPLE) + 5 and report.persons == len(PEOPLE)
    assert _state(ws)[5] == len(PEOPLE) + 5


def test_run_stoppable_returns_the_result_or_the_error_and_gives_up_when_asked() -> None:
    stop = StopSignal()
    assert run_stoppable(lambda: 6 * 7, stop, during="sums") == 42
    with pytest.raises(ZeroDivisionError):
        run_stoppable(lambda: 1 // 0, stop, during="sums")

    import threading

    release = threading.Event()
    stop.request()
    with pytest.raises(Interrupted, match="during waiting"):
        run_stoppable(lambda: release.wait(30), stop, during="waiting")
    release.set()
