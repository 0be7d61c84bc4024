"""kill -9 at random points of ingest, list release, audit checkpointing and plan storage, on
SQLite and PostgreSQL (issue 10, "Done when"). After each kill: ``parley audit verify``
passes, the log covers every committed row, and a re-run completes with nothing lost or
duplicated. Prints one line of figures per campaign."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parley.adapters.sql.exchange_tables import (
    ExchangeList,
    ExchangePlan,
    ListVersion,
    PlanAssignmentRow,
)
from parley.adapters.sql.tables import AuditEventRow, ImportBatch, Source, SourceRecord
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.lists import Entry, Status
from parley.services import ingest as ingest_module
from parley.services import lists as lists_svc
from parley.services import signoff
from parley.services.audit import verify_log, write_checkpoint
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace
from tests.faults.campaign import Result, Step, campaign
from tests.services.ingest_checks import assert_log_covers_store

pytestmark = pytest.mark.faults

ROWS, CHUNK = 300, 25
APPROVERS = (Actor("mod-a", Role.ANALYST, "MOD"), Actor("ssu-a", Role.ANALYST, "SSU"),
             Actor("omb-a", Role.ANALYST, "OMB"))


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Iterator[list[Result]]:
    results: list[Result] = []
    yield results
    with capsys.disabled():
        for result in results:
            sys.stdout.write(f"\n{result.line()}\n")


def _verified(ws: Workspace) -> None:
    outcome = verify_log(ws)
    assert outcome.ok, outcome.first_fault


def _events(ws: Workspace, action: str, target: str) -> int:
    with ws.store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action == action, AuditEventRow.target == target)) or 0)


# --- ingest ------------------------------------------------------------------------------------


def _ingest_step(tmp: Path) -> Step:
    path = tmp / "people.csv"
    lines = ["Record ID,Surname,Name,Date of birth,Status\n"]
    lines += [f"R{i},Koval{i},Ivan,1990-05-01,POW\n" if i % 11 else f"R{i},,,never,POW\n"
              for i in range(ROWS)]
    path.write_text("".join(lines), encoding="utf-8")
    good = ROWS - len(range(0, ROWS, 11))

    def operation(ws: Workspace, source: str) -> object:
        return ingest_file(ws, actor=LOCAL_OPERATOR, path=path, source=source, agency="MOD")

    def stored(ws: Workspace, source: str) -> int:
        with ws.store.reading() as s:
            return int(s.scalar(select(func.count()).select_from(SourceRecord).join(
                Source, Source.id == SourceRecord.source_id).where(Source.name == source)) or 0)

    def point(ws: Workspace, source: str) -> str:
        with ws.store.reading() as s:
            batch = s.scalars(select(ImportBatch).join(Source).where(Source.name == source)
                              ).first()
        if batch is None:
            return "ingest:before-batch"
        if batch.finished_at is not None:
            return "ingest:finished"
        return f"ingest:after-chunk-{batch.rows_read // CHUNK}"

    def check(ws: Workspace, source: str) -> None:
        _verified(ws)
        assert_log_covers_store(ws)

    def rerun(ws: Workspace, source: str) -> None:
        operation(ws, source)
        assert stored(ws, source) == good

    return Step(prepare=lambda ws, i: f"s{i}", operation=operation, point=point, check=check,
                rerun=rerun)


# --- list release ------------------------------------------------------------------------------


def _release_step() -> Step:
    def prepare(ws: Workspace, i: int) -> str:
        name = f"L{i}"
        lists_svc.create_list(ws, actor=LOCAL_OPERATOR, name=name, direction="receive",
                              required_agencies=("MOD", "SSU", "OMB"))
        lists_svc.add_entries(ws, actor=LOCAL_OPERATOR, name=name, entries=[
            Entry(key=f"K{k}", display_name=f"Person {k}", family_name=f"F{k}")
            for k in range(5)])
        for actor in APPROVERS:
            signoff.approve_list(ws, actor=actor, name=name)
        return name

    def operation(ws: Workspace, name: str) -> object:
        return signoff.release_list(ws, actor=LOCAL_OPERATOR, name=name)

    def released(ws: Workspace, name: str) -> bool:
        with ws.store.reading() as s:
            return bool(s.scalar(select(func.count()).select_from(ListVersion).where(
                ListVersion.released_at.is_not(None), ListVersion.list_id.in_(
                    select(ExchangeList.id).where(
                        ExchangeList.name == name)))))

    def check(ws: Workspace, name: str) -> None:
        _verified(ws)
        assert _events(ws, "list.release", f"list:{name}") == int(released(ws, name))

    def rerun(ws: Workspace, name: str) -> None:
        if not released(ws, name):
            operation(ws, name)
        assert released(ws, name) and _events(ws, "list.release", f"list:{name}") == 1

    return Step(prepare=prepare, operation=operation,
                point=lambda ws, n: "release:done" if released(ws, n) else "release:not-yet",
                check=check, rerun=rerun)


# --- audit checkpoint --------------------------------------------------------------------------


def _checkpoint_step() -> Step:
    def count(ws: Workspace) -> int:
        with ws.store.reading() as s:
            return int(s.scalar(select(func.count()).select_from(AuditCheckpoint)) or 0)

    def prepare(ws: Workspace, i: int) -> str:
        lists_svc.create_list(ws, actor=LOCAL_OPERATOR, name=f"C{i}", direction="give")
        return str(count(ws))

    def operation(ws: Workspace, before: str) -> object:
        return write_checkpoint(ws, actor=LOCAL_OPERATOR)

    def check(ws: Workspace, before: str) -> None:
        _verified(ws)
        made = count(ws) - int(before)
        assert 0 <= made <= 2  # the killed run signed or not; the re-run signs one more
        with ws.store.reading() as s:
            logged = int(s.scalar(select(func.count()).select_from(AuditEventRow).where(
                AuditEventRow.action == "audit.checkpoint")) or 0)
        assert logged == count(ws)

    def rerun(ws: Workspace, before: str) -> None:
        write_checkpoint(ws, actor=LOCAL_OPERATOR)
        assert count(ws) - int(before) in (1, 2)

    return Step(prepare=prepare, operation=operation,
                point=lambda ws, b: "checkpoint:signed" if count(ws) > int(b)
                else "checkpoint:not-yet",
                check=check, rerun=rerun)


# --- plan storage ------------------------------------------------------------------------------


def _plan_step(ws: Workspace) -> Step:
    lists_svc.create_list(ws, actor=LOCAL_OPERATOR, name="g", direction="give")
    lists_svc.create_list(ws, actor=LOCAL_OPERATOR, name="r", direction="receive")
    for name, side in (("g", "G"), ("r", "R")):
        lists_svc.add_entries(ws, actor=LOCAL_OPERATOR, name=name, entries=[
            Entry(key=f"{side}{k}", display_name=f"{side} {k}", family_name=f"F{k}",
                  category="civilian" if k % 3 == 0 else "military",
                  seriously_wounded=k % 7 == 0, status=Status.CONFIRMED) for k in range(30)])

    def plans(ws: Workspace) -> list[tuple[int, int, int]]:
        with ws.store.reading() as s:
            return [(p.id, p.exchanged, int(s.scalar(
                select(func.count()).select_from(PlanAssignmentRow)
                .where(PlanAssignmentRow.plan_id == p.id)) or 0))
                for p in s.scalars(select(ExchangePlan))]

    def operation(ws: Workspace, before: str) -> object:
        return lists_svc.plan_lists(ws, actor=LOCAL_OPERATOR, give="g", receive="r", stages=3,
                                    max_per_stage=10)

    def check(ws: Workspace, before: str) -> None:
        _verified(ws)
        stored = plans(ws)
        assert 0 <= len(stored) - int(before) <= 2
        for plan_id, exchanged, assignments in stored:
            # A plan is stored whole (every assignment) with its event, or not at all.
            assert exchanged > 0 and assignments >= 2 * exchanged
            assert _events(ws, "plan.create", f"plan:{plan_id}") == 1

    def rerun(ws: Workspace, before: str) -> None:
        operation(ws, before)
        assert len(plans(ws)) - int(before) in (1, 2)

    return Step(prepare=lambda ws, i: str(len(plans(ws))), operation=operation,
                point=lambda ws, b: "plan:stored" if len(plans(ws)) > int(b)
                else "plan:not-yet",
                check=check, rerun=rerun)


# --- the campaigns -----------------------------------------------------------------------------


def test_kill_during_ingest(ws: Workspace, tmp_path: Path, report: list[Result],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "CHUNK_ROWS", CHUNK)
    result = campaign(f"ingest[{ws.store.dialect}]", ws, _ingest_step(tmp_path))
    report.append(result)
    assert result.failures == 0 and result.killed > 0 and len(result.states) >= 3


def test_kill_during_list_release(ws: Workspace, report: list[Result]) -> None:
    result = campaign(f"release[{ws.store.dialect}]", ws, _release_step())
    report.append(result)
    assert result.failures == 0 and result.killed > 0


def test_kill_during_checkpoint(ws: Workspace, report: list[Result]) -> None:
    result = campaign(f"checkpoint[{ws.store.dialect}]", ws, _checkpoint_step())
    report.append(result)
    assert result.failures == 0 and result.killed > 0


def test_kill_during_plan_storage(ws: Workspace, report: list[Result]) -> None:
    result = campaign(f"plan[{ws.store.dialect}]", ws, _plan_step(ws))
    report.append(result)
    assert result.failures == 0 and result.killed > 0
