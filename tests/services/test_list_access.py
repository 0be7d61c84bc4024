"""Need-to-know on lists, plans and reconciliations: an entry drawn from the registry reaches
exactly the readers who may see the records it was drawn from (issue 10, item 1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.exchange_tables import (
    ExchangeList,
    ListEntryRow,
    ListVersion,
    Reconciliation,
    ReconciliationRow,
)
from parley.adapters.sql.tables import Person, SourceRecord
from parley.domain.actors import Actor, Role
from parley.domain.lists import Entry, Status
from parley.domain.policy import ClearedActor
from parley.errors import NotFound
from parley.services import lists as svc
from parley.services.list_access import clear_cache
from parley.services.list_store import ORIGIN
from parley.services.reconciliation import stored_reconciliation
from parley.services.workspace import Workspace
from tests.services.identity_factory import add_records, person

HQ = ClearedActor("coord", Role.COORDINATOR, "HQ", clearance="secret")
DIU_COORD = ClearedActor("coord-diu", Role.COORDINATOR, "DIU", clearance="secret")
TS_COORD = ClearedActor("coord-ts", Role.COORDINATOR, "HQ", clearance="top_secret")
LOGISTICS = ClearedActor("truck", Role.LOGISTICS, "MOD", clearance="secret")
MEDIATOR = ClearedActor("icrc", Role.MEDIATOR, "MED", clearance="secret")
MEDIATOR_DIU = ClearedActor("icrc2", Role.MEDIATOR, "DIU", clearance="secret")


def _person(ws: Workspace, record_ids: list[int]) -> int:
    with ws.store.transaction() as tx:
        p = Person(display_name="", status="held")
        tx.add(p)
        tx.flush()
        tx.execute(update(SourceRecord).where(SourceRecord.id.in_(record_ids))
                   .values(person_id=p.id))
        return int(p.id)


def _seed(ws: Workspace) -> dict[str, int]:
    """A: MOD; B: DIU; C: MOD top secret; D: a DIU record (older) and a MOD record."""
    d_diu = add_records(ws, source="DIU channel", agency="DIU", rows=[
        person("Дубовик", "Денис", "", "1980-01-01", capture_date="2013-05-05")])
    a = add_records(ws, source="MOD register", agency="MOD", rows=[
        person("Андрієнко", "Антон", "", "1990-01-01", "A1", capture_date="2022-03-03")])
    b = add_records(ws, source="DIU channel", agency="DIU", rows=[
        person("Бережний", "Борис", "", "1991-01-01", capture_date="2022-04-04")])
    c = add_records(ws, source="MOD secret", agency="MOD", classification="top_secret", rows=[
        person("Цвях", "Степан", "", "1992-01-01")])
    d_mod = add_records(ws, source="MOD register", agency="MOD", rows=[
        person("Дубовик", "Денис", "Олегович", "1980-01-01")])
    return {"A": _person(ws, a), "B": _person(ws, b), "C": _person(ws, c),
            "D": _person(ws, [*d_diu, *d_mod])}


def _names(ws: Workspace, actor: Actor, name: str = "recv") -> set[str]:
    return {e.family_name for e in svc.list_entries(ws, actor=actor, name=name)}


def _release(ws: Workspace, name: str) -> None:
    with ws.store.transaction() as tx:
        lst = tx.scalars(select(ExchangeList).where(ExchangeList.name == name)).one()
        tx.scalars(select(ListVersion).where(ListVersion.list_id == lst.id,
                                             ListVersion.version == lst.version)
                   ).one().released_at = utcnow()


def test_entries_reach_only_the_readers_of_their_sources(ws: Workspace,
                                                         operator: Actor) -> None:
    _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    assert _names(ws, operator) == {"Андрієнко", "Бережний", "Цвях", "Дубовик"}
    # D is named from its MOD record (the least restricted), so staff outside intelligence see it.
    assert _names(ws, HQ) == {"Андрієнко", "Дубовик"}
    assert _names(ws, DIU_COORD) == {"Андрієнко", "Бережний", "Дубовик"}
    assert _names(ws, TS_COORD) == {"Андрієнко", "Цвях", "Дубовик"}
    assert _names(ws, LOGISTICS) == {"Андрієнко", "Дубовик"}
    summary = svc.list_summary(ws, actor=HQ, name="recv")
    assert summary.entries == 2 and sum(summary.statuses.values()) == 2
    csv_text = svc.export_list_csv(ws, actor=HQ, name="recv")
    assert "Андрієнко" in csv_text and "Бережний" not in csv_text and "Цвях" not in csv_text
    # Facts drawn from the sources (capture date …) are detail: staff only.
    hq = {e.family_name: e for e in svc.list_entries(ws, actor=HQ, name="recv")}
    assert hq["Андрієнко"].facts["captivity_start"] == "2022-03-03"
    # …logistics keep only the identity number and the convoy's needs (a stretcher place)
    kept = {"service_number", "rank", "cannot_sit"}
    assert all(set(e.facts) <= kept and "captivity_start" not in e.facts
               for e in svc.list_entries(ws, actor=LOGISTICS, name="recv"))


def test_the_mediator_reads_released_versions_only(ws: Workspace, operator: Actor) -> None:
    _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    with pytest.raises(NotFound):
        svc.list_entries(ws, actor=MEDIATOR, name="recv")
    assert [s.name for s in svc.list_summaries(ws, actor=MEDIATOR)] == []
    _release(ws, "recv")
    svc.update_entry(ws, actor=operator, name="recv", key=next(
        e.key for e in svc.list_entries(ws, actor=operator, name="recv")
        if e.family_name == "Андрієнко"), status="confirmed")
    shown = svc.list_entries(ws, actor=MEDIATOR, name="recv")
    assert {e.family_name for e in shown} == {"Андрієнко", "Дубовик"}
    assert all(e.status is Status.PROPOSED for e in shown)  # v1, not the draft v2
    assert svc.list_summary(ws, actor=MEDIATOR, name="recv").version == 1
    with pytest.raises(NotFound):
        svc.list_entries(ws, actor=MEDIATOR, name="recv", version=2)
    # A mediator's account is never an intelligence reader, whatever its agency code.
    assert "Бережний" not in _names(ws, MEDIATOR_DIU)


def test_an_entrys_origin_survives_its_edits(ws: Workspace, operator: Actor) -> None:
    ids = _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    svc.update_entry(ws, actor=operator, name="recv", key=f"P{ids['B']}", status="confirmed")
    assert "Бережний" not in _names(ws, HQ)
    assert "Бережний" in _names(ws, DIU_COORD)


def test_entries_stored_without_an_origin_are_gated_by_the_oldest_record(
        ws: Workspace, operator: Actor) -> None:
    ids = _seed(ws)
    svc.create_list(ws, actor=operator, name="old", direction="receive")
    # As the old draw left it: named from the oldest record (DIU's), no origin kept.
    svc.add_entries(ws, actor=operator, name="old", entries=[
        Entry(key=f"P{ids['D']}", display_name="Дубовик Денис", family_name="Дубовик",
              person_id=ids["D"]),
        Entry(key="F1", display_name="From a file", family_name="Файл")])
    with ws.store.transaction() as tx:
        for row in tx.scalars(select(ListEntryRow).where(ListEntryRow.entry_key == f"P{ids['D']}")):
            row.data = {k: v for k, v in row.data.items() if k != ORIGIN}
    clear_cache()  # the store was changed behind the services' back
    assert _names(ws, HQ, "old") == {"Файл"}
    assert _names(ws, DIU_COORD, "old") == {"Файл", "Дубовик"}


def test_a_draw_uses_only_the_records_the_drawer_may_see(ws: Workspace) -> None:
    _seed(ws)
    svc.create_list(ws, actor=HQ, name="recv", direction="receive")
    info = svc.add_from_registry(ws, actor=HQ, name="recv")
    assert info.entries == 2
    assert _names(ws, TS_COORD) == {"Андрієнко", "Дубовик"}


def test_plan_rows_and_reasons_follow_the_entries(ws: Workspace, operator: Actor) -> None:
    ids = _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    keys = [e.key for e in svc.list_entries(ws, actor=operator, name="recv")]
    svc.update_entries(ws, actor=operator, name="recv", keys=keys, status="confirmed")
    svc.create_list(ws, actor=operator, name="give", direction="give")
    svc.add_entries(ws, actor=operator, name="give", entries=[
        Entry(key=f"G{i}", display_name=f"G {i}", status=Status.CONFIRMED) for i in range(4)])
    svc.plan_lists(ws, actor=operator, give="give", receive="recv", stages=2)
    whole = svc.stored_plan(ws, actor=operator)
    assert {a.record_id for a in whole.assignments if a.side == "receive"} == set(keys)
    hq = svc.stored_plan(ws, actor=HQ)
    received = {a.record_id for a in hq.assignments if a.side == "receive"}
    assert received == {f"P{ids['A']}", f"P{ids['D']}"}
    assert sum(n for (_, _, side), n in hq.counts().items() if side == "receive") <= 2
    # A reason quotes the facts of the entry and of the one ranked ahead of it.
    for a in hq.assignments:
        if a.reason:
            assert f"P{ids['B']}" not in a.reason and f"P{ids['C']}" not in a.reason
    assert all(a.reason == "" for a in svc.stored_plan(ws, actor=LOGISTICS).assignments
               if a.side == "receive")
    with pytest.raises(NotFound):
        svc.stored_plan(ws, actor=MEDIATOR)
    with pytest.raises(NotFound):
        svc.substitute_in_stored_plan(ws, actor=HQ, plan_id=whole.id, dropped=f"P{ids['B']}",
                                      side="receive", reason="refuses")


def test_reconciliation_rows_on_withheld_sources_read_as_unknown(
        ws: Workspace, operator: Actor) -> None:
    ids = _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    with ws.store.transaction() as tx:
        diu_record = tx.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id == ids["B"])).one()
        lst = tx.scalars(select(ExchangeList).where(ExchangeList.name == "recv")).one()
        rec = Reconciliation(list_id=lst.id, list_version=lst.version, file_name="a.csv",
                             file_sha256="0" * 64, created_by="t", counts={})
        tx.add(rec)
        tx.flush()
        tx.add_all([
            ReconciliationRow(reconciliation_id=rec.id, line_no=2, outcome="confirmed",
                              reason=f"the same person as entry P{ids['B']} (p=0.99)",
                              entry_key=f"P{ids['B']}", raw={"Фамилия": "Бережной"}),
            ReconciliationRow(reconciliation_id=rec.id, line_no=3,
                              outcome="registry_not_on_list", registry_record_id=diu_record,
                              reason=f"on our registry (record {diu_record}, p=0.97)",
                              raw={"Фамилия": "Бережной"}),
            ReconciliationRow(reconciliation_id=rec.id, line_no=None, outcome="not_mentioned",
                              reason="on our list", entry_key=f"P{ids['C']}", raw={}),
            ReconciliationRow(reconciliation_id=rec.id, line_no=4, outcome="confirmed",
                              reason=f"the same person as entry P{ids['A']}",
                              entry_key=f"P{ids['A']}", raw={"Фамилия": "Андриенко"}),
        ])
    hq = stored_reconciliation(ws, actor=HQ, name="recv")
    assert [r["outcome"] for r in hq.rows] == ["unknown", "unknown", "confirmed"]
    hidden = hq.rows[:2]
    assert all(r["registry_record_id"] is None and r["entry_key"] is None for r in hidden)
    assert all(f"record {diu_record}" not in r["reason"] and f"P{ids['B']}" not in r["reason"]
               for r in hidden)
    assert hq.counts["unknown"] == 2 and hq.counts["not_mentioned"] == 0
    full = stored_reconciliation(ws, actor=DIU_COORD, name="recv")
    assert [r["outcome"] for r in full.rows] == ["confirmed", "registry_not_on_list",
                                                 "confirmed"]


def test_a_signed_bundle_goes_only_to_who_may_export_every_entry(
        ws: Workspace, operator: Actor) -> None:
    from parley.errors import AccessDenied
    from parley.services.signoff import export_signed_bundle

    _seed(ws)
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    _release(ws, "recv")
    with pytest.raises(AccessDenied):
        export_signed_bundle(ws, actor=HQ, name="recv")
    assert export_signed_bundle(ws, actor=operator, name="recv")  # who may see every entry
