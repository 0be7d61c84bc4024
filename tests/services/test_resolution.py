"""resolve_identities on a real store (SQLite and PostgreSQL) with the real Splink model."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from parley.adapters.sql.identity_tables import IdentityConflict, IdentityLink, ResolutionRun
from parley.adapters.sql.tables import AuditEventRow, Evidence, Person, SourceRecord
from parley.domain.actors import Actor, Role
from parley.services.conflicts import list_conflicts
from parley.services.persons import person_view
from parley.services.resolution import resolve_identities, set_duplicate_free
from parley.services.review import record_review_decision
from parley.services.workspace import Workspace
from tests.services.identity_factory import PEOPLE, add_records, person

# The same people as the MOD register holds, as the security service wrote them (Cyrillic).
SSU_ROWS = [
    person("Коваленко", "Іван", "Петрович", "04.05.1990", "AB123456", military_unit="А1234"),
    person("Шевченко", "Петро", "Іванович", "1985-01-12", "AB223344", military_unit="А2345"),
    person("Мельник", "Олег", "Миколайович", "1978-11-30", "AC998877", military_unit="А3456"),
    person("Бондаренко", "Андрій", "Сергійович", "1995-07-21", "AD445566", military_unit="А4567"),
]


def _persons_of(ws: Workspace, ids: list[int]) -> list[int | None]:
    with ws.store.reading() as tx:
        got: dict[int, int | None] = dict(tx.execute(select(SourceRecord.id, SourceRecord.person_id)
                              .where(SourceRecord.id.in_(ids))).all())
    return [got[i] for i in ids]


def _seed(ws: Workspace) -> tuple[list[int], list[int]]:
    mod = add_records(ws, source="MOD register", agency="MOD", rows=PEOPLE, reliability="A1")
    ssu = add_records(ws, source="SSU reports", agency="SSU", rows=SSU_ROWS, reliability="B2")
    return mod, ssu


def test_resolve_clusters_cross_script_records_and_stores_weights(
    ws: Workspace, operator: Actor
) -> None:
    mod, ssu = _seed(ws)
    stages: list[str] = []
    report = resolve_identities(ws, actor=operator,
                                progress=lambda stage, done, total: stages.append(stage))
    assert report.records == 14 and report.new_records == 14
    assert report.persons == 10
    assert stages and any(s.startswith("linking") for s in stages)
    mod_persons, ssu_persons = _persons_of(ws, mod), _persons_of(ws, ssu)
    assert ssu_persons == mod_persons[:4]  # same person across scripts
    assert len(set(mod_persons)) == 10  # nobody merged with anybody else
    with ws.store.reading() as tx:
        link = tx.scalar(select(IdentityLink).where(IdentityLink.left_record_id == mod[0],
                                                    IdentityLink.right_record_id == ssu[0]))
        assert link is not None and link.match_probability >= 0.95
        assert {"family_name", "birth_date", "service_number"} <= set(link.field_weights)
        assert link.field_weights["service_number"] > 0
        events = tx.scalars(select(AuditEventRow.action)).all()
        assert "identity.resolve" in events
        n_evidence = tx.scalar(select(func.count()).select_from(Evidence)
                               .where(Evidence.source_record_id == mod[0]))
        assert n_evidence and n_evidence >= 6


def test_resolve_is_incremental_and_keeps_person_ids(ws: Workspace, operator: Actor) -> None:
    mod, _ssu = _seed(ws)
    first = resolve_identities(ws, actor=operator)
    before = _persons_of(ws, mod)
    nothing = resolve_identities(ws, actor=operator)
    assert nothing.new_records == 0 and nothing.new_links == 0 and nothing.pairs_compared == 0
    omb = add_records(ws, source="OMB requests", agency="OMB", reliability="C3", rows=[
        {**PEOPLE[0], "status": "captured"},
        person("Petrenko", "Hryhorii", "Stepanovych", "1969-08-08", "ZZ000001"),
    ])
    second = resolve_identities(ws, actor=operator)
    assert second.new_records == 2
    assert second.pairs_compared < first.pairs_compared + 50  # not a full rerun
    assert _persons_of(ws, mod) == before  # existing persons kept their ids
    assert _persons_of(ws, omb)[0] == before[0]
    assert _persons_of(ws, omb)[1] not in before
    with ws.store.reading() as tx:
        runs = tx.scalars(select(ResolutionRun.max_record_id).order_by(ResolutionRun.id)).all()
    assert runs[-1] == max(omb)


def test_no_match_is_never_merged_again(ws: Workspace, operator: Actor) -> None:
    mod, ssu = _seed(ws)
    resolve_identities(ws, actor=operator)
    assert _persons_of(ws, [mod[0]]) == _persons_of(ws, [ssu[0]])
    judgement = record_review_decision(ws, actor=operator, left_record_id=ssu[0],
                                       right_record_id=mod[0], decision="no-match",
                                       note="different mothers' names in the files")
    assert judgement.decision == "no_match" and judgement.left_record_id == mod[0]
    assert _persons_of(ws, [mod[0]]) != _persons_of(ws, [ssu[0]])
    # A third record that matches both strongly must not bring them back together.
    add_records(ws, source="DIU", agency="DIU", reliability="B2",
                rows=[person("Kovalenko", "Ivan", "Petrovych", "1990-05-04", "AB123456",
                             military_unit="A1234")])
    resolve_identities(ws, actor=operator)
    assert _persons_of(ws, [mod[0]]) != _persons_of(ws, [ssu[0]])
    resolve_identities(ws, actor=operator, full=True)
    assert _persons_of(ws, [mod[0]]) != _persons_of(ws, [ssu[0]])


def test_conflicts_are_raised_not_silently_picked(ws: Workspace, operator: Actor) -> None:
    add_records(ws, source="MOD register", agency="MOD", reliability="A1", rows=[
        {**PEOPLE[0], "status": "held"}, {**PEOPLE[1], "status": "captured"}, *PEOPLE[2:],
    ])
    add_records(ws, source="SSU reports", agency="SSU", reliability="B1", rows=[
        {**SSU_ROWS[0], "status": "deceased"}, *SSU_ROWS[1:],
        # a different man who carries the same service number as PEOPLE[1]
        person("Hnatiuk", "Roman", "Ihorovych", "2001-04-17", "AB223344", sex="M"),
    ])
    report = resolve_identities(ws, actor=operator)
    kinds = sorted(c.kind for c in list_conflicts(ws, actor=operator))
    assert "status" in kinds and "service_number" in kinds
    assert report.conflicts_open == len(kinds) and report.conflicts_raised == len(kinds)
    status = next(c for c in list_conflicts(ws, actor=operator) if c.kind == "status")
    assert "deceased" in status.description and "held" in status.description
    with ws.store.reading() as tx:
        disputed = tx.get(Person, status.person_id)
        assert disputed is not None and disputed.status == "disputed"
        # Found again on the next full run, the same contradiction is the same item.
    resolve_identities(ws, actor=operator, full=True)
    with ws.store.reading() as tx:
        assert tx.scalar(select(func.count()).select_from(IdentityConflict)
                         .where(IdentityConflict.kind == "status")) == 1


def test_verified_only_when_independent_sources_agree(ws: Workspace, operator: Actor) -> None:
    mod, _ssu = _seed(ws)
    resolve_identities(ws, actor=operator)
    both = person_view(ws, actor=operator, person_id=_persons_of(ws, [mod[0]])[0] or 0)
    assert both.verification.verified
    assert both.person["verified"] is True
    agencies = {r.agency: r for r in both.verification.reasons}
    assert set(agencies) == {"MOD", "SSU"}
    assert agencies["MOD"].reliability == "A1" and agencies["SSU"].reliability == "B2"
    assert "independent agencies" in both.person["verification_reason"]
    alone = person_view(ws, actor=operator, person_id=_persons_of(ws, [mod[9]])[0] or 0)
    assert not alone.verification.verified
    assert alone.person["verified"] is False


def test_duplicate_free_list_is_one_to_one_and_flags_doubles(
    ws: Workspace, operator: Actor
) -> None:
    mod = add_records(ws, source="MOD register", agency="MOD", rows=PEOPLE, reliability="A1")
    lst = add_records(ws, source="their list", agency="HQ", reliability="C3", rows=[
        PEOPLE[0], dict(PEOPLE[0]), *PEOPLE[1:6],
    ])
    set_duplicate_free(ws, actor=operator, source="their list")
    resolve_identities(ws, actor=operator)
    persons = _persons_of(ws, lst)
    assert persons[0] != persons[1]  # one list, two entries: never one person
    assert _persons_of(ws, [mod[0]])[0] in persons[:2]
    doubles = [c for c in list_conflicts(ws, actor=operator) if c.kind == "list_duplicate"]
    assert doubles and set(doubles[0].record_ids) <= {*lst[:2], mod[0]}


def test_person_view_is_redacted_and_verification_rests_on_visible_sources(
    ws: Workspace, operator: Actor
) -> None:
    mod, _ssu = _seed(ws)
    resolve_identities(ws, actor=operator)
    pid = _persons_of(ws, [mod[0]])[0] or 0
    analyst = Actor("olena", Role.ANALYST, "MOD")
    view = person_view(ws, actor=analyst, person_id=pid)
    assert [int(r["id"]) for r in view.records] == [mod[0]]
    assert "hidden_records" not in view.as_dict()  # a refused record is like a missing one
    assert not view.verification.verified and view.person["verified"] is False
    assert all(r.agency != "SSU" for r in view.verification.reasons)
    assert "SSU" not in view.person["verification_reason"]
    assert view.person["display_name"] == "Kovalenko Ivan Petrovych"


def test_reviewers_decisions_re_estimate_the_model(ws: Workspace, operator: Actor) -> None:
    mod, ssu = _seed(ws)
    resolve_identities(ws, actor=operator)
    for i in range(4):
        record_review_decision(ws, actor=operator, left_record_id=mod[i], right_record_id=ssu[i],
                               decision="match")
    for i in range(4, 9):
        record_review_decision(ws, actor=operator, left_record_id=mod[i],
                               right_record_id=mod[i + 1], decision="no_match")
    few = resolve_identities(ws, actor=operator)
    assert few.labels_used == 0  # nine decisions: not yet enough to learn from
    record_review_decision(ws, actor=operator, left_record_id=mod[0], right_record_id=mod[9],
                           decision="no_match")
    add_records(ws, source="OMB requests", agency="OMB", reliability="C3", rows=[PEOPLE[5]])
    report = resolve_identities(ws, actor=operator)
    assert report.labels_used == 10 and report.new_records == 1
    assert _persons_of(ws, [mod[4]]) != _persons_of(ws, [mod[5]])


@pytest.mark.spark
def test_spark_engine_resolves_the_same_persons(ws: Workspace, operator: Actor) -> None:
    """The workspace form on Spark (local mode) clusters exactly as on DuckDB."""
    pytest.importorskip("pyspark")
    mod, ssu = _seed(ws)
    resolve_identities(ws, actor=operator)
    on_duckdb = _persons_of(ws, mod + ssu)
    report = resolve_identities(ws, actor=operator, engine="spark", full=True)
    assert report.engine == "spark" and report.persons == 10
    on_spark = _persons_of(ws, mod + ssu)
    assert on_spark == on_duckdb
    assert on_spark[len(mod):] == on_spark[:4]  # the cross-script pairs joined on Spark too


def test_an_address_among_the_extras_reaches_the_model(ws: Workspace, operator: Actor) -> None:
    homes = ["вул. Садова, 12, м. Харків", "вул. Лісова, 3, кв. 7, м. Суми"]
    mod_rows = [{**p, "address": homes[i]} if i < 2 else p for i, p in enumerate(PEOPLE)]
    ssu_rows = [{**p, "address": ["Kharkiv, Sadova St 12", "Sumy, Lisova 3 apt 7"][i]}
                if i < 2 else p for i, p in enumerate(SSU_ROWS)]  # fmt: skip
    mod = add_records(ws, source="MOD register", agency="MOD", rows=mod_rows, reliability="A1")
    ssu = add_records(ws, source="SSU reports", agency="SSU", rows=ssu_rows, reliability="B2")
    resolve_identities(ws, actor=operator)
    with ws.store.reading() as tx:
        link = tx.scalar(select(IdentityLink).where(IdentityLink.left_record_id == mod[0],
                                                    IdentityLink.right_record_id == ssu[0]))
        assert link is not None
        assert link.field_weights.get("address", 0.0) > 0  # same address in two scripts
