"""The review queue and reviewers' judgements on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parley.adapters.sql.identity_tables import IdentityJudgement
from parley.adapters.sql.tables import AuditEventRow, SourceRecord
from parley.domain.actors import Actor, Role
from parley.errors import AccessDenied, InvalidInput, NotFound
from parley.services.persons import person_view
from parley.services.resolution import resolve_identities
from parley.services.review import record_review_decision, retract_judgement, review_queue
from parley.services.workspace import Workspace
from tests.services.identity_factory import PEOPLE, add_link, add_records, person


def _person(ws: Workspace, rid: int) -> int | None:
    with ws.store.reading() as tx:
        return tx.scalar(select(SourceRecord.person_id).where(SourceRecord.id == rid))


@pytest.fixture
def seeded(ws: Workspace, operator: Actor) -> tuple[list[int], list[int]]:
    """A resolved register, plus two uncertain pairs in the band: a namesake with another birth
    date (one record each side) and a pair that would join a two-record person."""
    mod = add_records(ws, source="MOD register", agency="MOD", rows=PEOPLE, reliability="A1")
    omb = add_records(ws, source="OMB requests", agency="OMB", reliability="C3", rows=[
        person("Kovalenko", "Ivan", "", "1991-02-03"),
        {**PEOPLE[1], "military_unit": ""},
        person("Коваленко", "Іван", "Петрович", ""),
    ])
    resolve_identities(ws, actor=operator)
    add_link(ws, mod[0], omb[0], 0.62)
    add_link(ws, mod[0], omb[2], 0.55)
    add_link(ws, mod[3], omb[1], 0.9)
    return mod, omb


def test_queue_orders_by_uncertainty_times_records_affected(
    ws: Workspace, operator: Actor, seeded: tuple[list[int], list[int]]
) -> None:
    mod, omb = seeded
    items = review_queue(ws, actor=operator, limit=10)
    pairs = [(it.left_record_id, it.right_record_id) for it in items]
    assert (mod[0], omb[0]) in pairs and (mod[0], omb[2]) in pairs
    assert [it.priority for it in items] == sorted((it.priority for it in items), reverse=True)
    first = items[0]
    assert {"family_name", "birth_date"} <= set(first.weights)
    assert first.left["romanised"]["family_name"]
    cyr = next(it for it in items if it.right_record_id == omb[2])
    assert cyr.right["family_name"] == "Коваленко"
    assert cyr.right["romanised"]["family_name"].lower().startswith("kovalenko")
    assert len(review_queue(ws, actor=operator, limit=1)) == 1


def test_match_decision_joins_and_leaves_the_queue_audited(
    ws: Workspace, operator: Actor, seeded: tuple[list[int], list[int]]
) -> None:
    mod, omb = seeded
    before = {_person(ws, mod[0]), _person(ws, omb[2])}
    assert len(before) == 2
    j = record_review_decision(ws, actor=operator, left_record_id=omb[2], right_record_id=mod[0],
                               decision="match", note="same patronymic and unit in the letter")
    assert _person(ws, mod[0]) == _person(ws, omb[2])
    survivor = _person(ws, mod[0])
    absorbed = (before - {survivor}).pop()
    assert absorbed is not None and survivor in before  # ids are kept, not reissued
    redirected = person_view(ws, actor=operator, person_id=absorbed)
    assert redirected.id == survivor and redirected.requested_id == absorbed
    queue = [(it.left_record_id, it.right_record_id) for it in review_queue(ws, actor=operator)]
    assert (mod[0], omb[2]) not in queue
    with ws.store.reading() as tx:
        event = tx.scalar(select(AuditEventRow).where(AuditEventRow.target == f"judgement:{j.id}"))
        assert event is not None and event.action == "identity.judgement"
        assert event.payload["decision"] == "match" and event.payload["match_probability"] == 0.55
    view = person_view(ws, actor=operator, person_id=_person(ws, mod[0]) or 0)
    assert {int(r["id"]) for r in view.records} >= {mod[0], omb[2]}
    assert [jj.id for jj in view.judgements] == [j.id]


def test_later_decision_supersedes_and_retraction_restores_the_model(
    ws: Workspace, operator: Actor, seeded: tuple[list[int], list[int]]
) -> None:
    mod, omb = seeded
    first = record_review_decision(ws, actor=operator, left_record_id=mod[0],
                                   right_record_id=omb[2], decision="match")
    second = record_review_decision(ws, actor=operator, left_record_id=mod[0],
                                    right_record_id=omb[2], decision="no_match")
    assert _person(ws, mod[0]) != _person(ws, omb[2])
    with ws.store.reading() as tx:
        old = tx.get(IdentityJudgement, first.id)
        assert old is not None and old.retracted_at is not None
        assert old.retraction_reason == "superseded by a later decision"
    retract_judgement(ws, actor=operator, judgement_id=second.id, reason="entered on wrong pair")
    queue = [(it.left_record_id, it.right_record_id) for it in review_queue(ws, actor=operator)]
    assert (mod[0], omb[2]) in queue  # back to the model, back in the queue
    with pytest.raises(InvalidInput, match="already withdrawn"):
        retract_judgement(ws, actor=operator, judgement_id=second.id, reason="again")


def test_unsure_takes_the_pair_off_the_queue_without_joining(
    ws: Workspace, operator: Actor, seeded: tuple[list[int], list[int]]
) -> None:
    mod, omb = seeded
    record_review_decision(ws, actor=operator, left_record_id=mod[0], right_record_id=omb[0],
                           decision="unsure")
    queue = [(it.left_record_id, it.right_record_id) for it in review_queue(ws, actor=operator)]
    assert (mod[0], omb[0]) not in queue
    assert _person(ws, mod[0]) != _person(ws, omb[0])


def test_bad_decisions_are_refused(
    ws: Workspace, operator: Actor, seeded: tuple[list[int], list[int]]
) -> None:
    mod, omb = seeded
    with pytest.raises(InvalidInput, match="not a decision"):
        record_review_decision(ws, actor=operator, left_record_id=mod[0],
                               right_record_id=omb[0], decision="perhaps")
    with pytest.raises(InvalidInput, match="itself"):
        record_review_decision(ws, actor=operator, left_record_id=mod[0],
                               right_record_id=mod[0], decision="match")
    with pytest.raises(NotFound, match="no source record 99999"):
        record_review_decision(ws, actor=operator, left_record_id=mod[0],
                               right_record_id=99999, decision="match")
    courier = Actor("driver", Role.LOGISTICS, "HQ")
    with pytest.raises(AccessDenied):
        review_queue(ws, actor=courier)
