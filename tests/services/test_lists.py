"""Exchange lists in the workspace: versions, diffs, audit, status workflow, readiness, plans."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Actor
from parley.domain.lists import Entry, Readiness, Status
from parley.errors import Conflict, InvalidInput
from parley.services import lists as svc
from parley.services.workspace import Workspace


def _entry(key: str, **kw: object) -> Entry:
    base: dict[str, object] = {"display_name": f"Person {key}", "family_name": f"F{key}",
                               "birth_date": "1990-01-01", "facts": {"captivity_start":
                                                                     "2015-01-01"}}
    base.update(kw)
    return Entry(key=key, **base)  # type: ignore[arg-type]


def test_every_change_is_a_version_and_any_two_diff(ws: Workspace, operator: Actor) -> None:
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_entries(ws, actor=operator, name="recv", entries=[_entry("A"), _entry("B")])
    svc.update_entry(ws, actor=operator, name="recv", key="A", status="confirmed")
    svc.update_entry(ws, actor=operator, name="recv", key="B", status="held_back",
                     reason="judicial proceedings (Art. 115)")
    versions = svc.list_versions(ws, actor=operator, name="recv")
    assert [v.version for v in versions] == [1, 2, 3]
    assert len({v.content_hash for v in versions}) == 3
    v1 = svc.list_entries(ws, actor=operator, name="recv", version=1)
    assert {e.status for e in v1} == {Status.PROPOSED}
    changes = svc.diff_versions(ws, actor=operator, name="recv", before=1, after=3)
    assert [(c.key, c.kind) for c in changes] == [("A", "changed"), ("B", "changed")]
    assert changes[1].fields["status"] == ("proposed", "held_back")
    assert changes[1].fields["status_reason"] == ("", "judicial proceedings (Art. 115)")
    with ws.store.reading() as tx:
        actions = list(tx.scalars(select(AuditEventRow.action)
                                  .where(AuditEventRow.target == "list:recv")))
    assert actions == ["list.create", "list.add", "list.update", "list.update"]
    summary = svc.list_summary(ws, actor=operator, name="recv")
    assert summary.statuses == {"confirmed": 1, "held_back": 1}


def test_workflow_and_readiness_are_enforced(ws: Workspace, operator: Actor) -> None:
    svc.create_list(ws, actor=operator, name="give", direction="give")
    svc.add_entries(ws, actor=operator, name="give", entries=[_entry("X")])
    with pytest.raises(Conflict, match="cannot go from proposed to transferred"):
        svc.update_entry(ws, actor=operator, name="give", key="X", status="transferred")
    with pytest.raises(InvalidInput, match="needs a reason"):
        svc.update_entry(ws, actor=operator, name="give", key="X", status="held_back")
    svc.update_entry(ws, actor=operator, name="give", key="X", status="confirmed")
    svc.update_entry(ws, actor=operator, name="give", key="X", status="approved")
    with pytest.raises(Conflict, match="will to be repatriated not recorded"):
        svc.update_entry(ws, actor=operator, name="give", key="X", status="scheduled")
    svc.update_entry(ws, actor=operator, name="give", key="X",
                     readiness={"identity_verified": True, "medical_fit": True,
                                "will_recorded": True})
    svc.update_entry(ws, actor=operator, name="give", key="X", status="scheduled")
    (entry,) = svc.list_entries(ws, actor=operator, name="give")
    assert entry.status == Status.SCHEDULED
    assert entry.readiness == Readiness(True, True, True)
    with pytest.raises(Conflict, match="already on list"):
        svc.add_entries(ws, actor=operator, name="give", entries=[_entry("X")])


def test_plan_on_the_workspace_lists_and_substitute(ws: Workspace, operator: Actor) -> None:
    svc.create_list(ws, actor=operator, name="g", direction="give")
    svc.create_list(ws, actor=operator, name="r", direction="receive")
    give = [_entry(f"G{i}", category="civilian" if i % 3 == 0 else "military",
                   seriously_wounded=i == 4, status=Status.CONFIRMED) for i in range(9)]
    receive = [_entry(f"R{i}", category="civilian" if i % 2 else "military",
                      status=Status.CONFIRMED if i < 6 else Status.PROPOSED) for i in range(8)]
    svc.add_entries(ws, actor=operator, name="g", entries=give)
    svc.add_entries(ws, actor=operator, name="r", entries=receive)
    plan_id, result = svc.plan_lists(ws, actor=operator, give="g", receive="r", stages=2,
                                     max_per_stage=3)
    assert result.exchanged == 6  # only the six confirmed on the receive side
    first = next(a for a in result.assignments if a.side == "give" and a.stage == 1)
    assert first.record_id == "G4"  # the seriously wounded leads
    stored = svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    assert stored.counts() == result.counts()
    done = svc.substitute_in_stored_plan(ws, actor=operator, plan_id=plan_id, dropped="G4",
                                         side="give", reason="not fit to travel")
    assert done["replacement"] is not None
    again = svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    assert "G4" not in {a.record_id for a in again.assignments}
    assert again.substitutions[0]["reason"] == "not fit to travel"


def test_priority_rules_are_stored_as_data(ws: Workspace, operator: Actor) -> None:
    from parley.domain.priority import rules_from_data

    rules = rules_from_data([{"field": "age_group", "prefer": "18-25", "label": "18-25 first"}])
    svc.set_priority_rules(ws, actor=operator, rules=rules)
    assert svc.priority_rules(ws) == rules


def test_draw_our_people_from_the_registry(ws: Workspace, operator: Actor) -> None:
    from sqlalchemy import update

    from parley.adapters.sql.tables import Person, SourceRecord
    from tests.services.identity_factory import add_records, person

    ids = add_records(ws, source="MOD register", agency="MOD", rows=[
        person("Коваленко", "Іван", "Петрович", "1990-03-04", "A1234567", status="held",
               capture_date="2014-09-01", rank="private"),
        person("Шевченко", "Олена", "", "1975-11-02", status="held"),
        person("Бондар", "Петро", "", "1999-01-01", status="released"),
    ])
    with ws.store.transaction() as tx:
        persons = [Person(display_name=n, status=s, verified=v) for n, s, v in
                   (("Коваленко Іван", "held", True), ("Шевченко Олена", "held", False),
                    ("Бондар Петро", "released", True))]
        tx.add_all(persons)
        tx.flush()
        for rid, p in zip(ids, persons, strict=True):
            tx.execute(update(SourceRecord).where(SourceRecord.id == rid)
                       .values(person_id=p.id))
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    info = svc.add_from_registry(ws, actor=operator, name="recv")
    assert info.entries == 2  # the released person is not drawn
    entries = {e.family_name: e for e in svc.list_entries(ws, actor=operator, name="recv")}
    ivan = entries["Коваленко"]
    assert ivan.display_name == "Коваленко Іван Петрович"  # named from the record it came from
    assert ivan.category == "military" and ivan.readiness.identity_verified
    assert ivan.facts["held_since_2014"] == "true" and ivan.facts["service_number"] == "A1234567"
    assert entries["Шевченко"].category == "civilian"
    assert svc.add_from_registry(ws, actor=operator, name="recv").version == 1  # nothing new



def test_batch_update_is_one_version_and_all_or_nothing(ws: Workspace, operator: Actor) -> None:
    svc.create_list(ws, actor=operator, name="batch", direction="give")
    svc.add_entries(ws, actor=operator, name="batch", entries=[
        Entry(key=f"G-{i}", display_name=f"Person {i}") for i in range(5)])
    svc.update_entries(ws, actor=operator, name="batch", keys=["G-0", "G-1", "G-2"],
                       status="confirmed")
    assert len(svc.list_versions(ws, actor=operator, name="batch")) == 2
    statuses = {e.key: e.status for e in svc.list_entries(ws, actor=operator, name="batch")}
    assert [statuses[f"G-{i}"] for i in range(5)] == [Status.CONFIRMED] * 3 + [Status.PROPOSED] * 2
    # confirmed → rejected is not a transition: the whole batch is refused, no version written
    with pytest.raises((Conflict, InvalidInput)):
        svc.update_entries(ws, actor=operator, name="batch", keys=["G-3", "G-0"],
                           status="rejected")
    assert len(svc.list_versions(ws, actor=operator, name="batch")) == 2
    assert {e.key: e.status for e in svc.list_entries(ws, actor=operator, name="batch")} == statuses
