"""The dead: repatriations, forensic cases, reference samples, and a lab match that identifies a
case, closes the family's inquiry with an answer task and sets the person deceased, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from parley.adapters.sql.family_tables import AnswerTask, Inquiry
from parley.adapters.sql.remains_tables import RemainsCase
from parley.adapters.sql.tables import AuditEventRow, Person
from parley.domain.actors import Actor, Role
from parley.domain.remains import advance, counts_by_state, parse_result, parse_state
from parley.errors import InvalidInput
from parley.services.inquiries import take_inquiry
from parley.services.inquiry_links import decide_candidate
from parley.services.remains import (
    import_cases,
    import_results,
    record_repatriation,
    record_sample,
    remains_overview,
    set_case_state,
)
from parley.services.workspace import Workspace

LIAISON = Actor(username="liaison", role=Role.FAMILY_LIAISON, agency="OMB")


def test_states_only_move_forward_and_words_are_read() -> None:
    assert parse_state("").value == "received"
    assert parse_state("returned to family").value == "returned_to_family"
    assert parse_state("Ідентифіковано").value == "identified"
    assert parse_result("No match").value == "no_match"
    with pytest.raises(ValueError, match="cannot go back"):
        advance("identified", parse_state("sampled"))
    with pytest.raises(ValueError, match="lab result"):
        parse_result("probably")
    assert counts_by_state(["received", "received", "identified"]) == {
        "received": 2, "examined": 0, "sampled": 0, "matched": 0, "identified": 1,
        "returned_to_family": 0}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lab_match_identifies_closes_inquiry_sets_deceased_and_is_audited(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    with ws.store.transaction() as tx:
        person = Person(display_name="Бойко Микола Андрійович", status="missing")
        tx.add(person)
        tx.flush()
        person_id = person.id
    inquiry = take_inquiry(ws, actor=LIAISON, values={
        "inquiry_id": "Q-9", "inquirer_name": "Бойко Галина", "consent": "так",
        "family_name": "Бойко", "given_name": "Микола", "birth_date": "1981-12-01"})
    decide_candidate(ws, actor=operator, inquiry_id=inquiry, person_id=person_id,
                     decision="link")

    record_repatriation(ws, actor=LIAISON, key="R-2026-01", date="2026-01-20",
                        received=757, handed_over=34)
    cases = _write(tmp_path / "cases.csv", "case_id,repatriation_id,state,found_place\n"
                   "C-1,R-2026-01,received,\nC-2,R-2026-01,examined,\nC-3,R-2026-01,sampled,\n"
                   "C-4,R-2099,received,\nC-5,R-2026-01,buried,\n")
    report = import_cases(ws, actor=LIAISON, path=cases)
    assert (report.imported, report.quarantined) == (3, 2)
    assert {(r["line"], r["field"]) for r in report.reasons} == {(5, "repatriation_id"),
                                                                (6, "state")}
    again = import_cases(ws, actor=LIAISON, path=cases)
    assert (again.imported, again.duplicates) == (0, 3)

    record_sample(ws, actor=LIAISON, sample_id="S-100", lab="Lab A", inquiry="Q-9")
    results = _write(tmp_path / "results.csv", "case_id,sample_id,inquiry_id,result\n"
                     "C-1,S-100,Q-9,no_match\nC-3,S-100,Q-9,match\nC-2,S-404,Q-9,match\n")
    done = import_results(ws, actor=LIAISON, path=results)
    assert (done.imported, done.identified, done.quarantined) == (2, 1, 1)
    assert done.reasons == [{"line": 4, "field": "sample_id", "reason": "no sample 'S-404'"}]
    assert import_results(ws, actor=LIAISON, path=results).duplicates == 2

    with ws.store.reading() as tx:
        case = tx.scalars(select(RemainsCase).where(RemainsCase.case_key == "C-3")).one()
        assert case.state == "identified" and case.person_id == person_id
        assert tx.get_one(Person, person_id).status == "deceased"
        assert tx.get_one(Inquiry, inquiry).state == "closed"
        tasks = tx.scalars(select(AnswerTask).where(AnswerTask.inquiry_id == inquiry)).all()
        assert [t.event for t in tasks] == ["remains_identified"]
        events = tx.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "remains.identified")).all()
        assert len(events) == 1 and events[0].payload["status_before"] == "missing"
        untouched = tx.scalars(select(RemainsCase).where(RemainsCase.case_key == "C-1")).one()
        assert untouched.state == "received"

    assert set_case_state(ws, actor=LIAISON, case_id="C-3",
                          state="returned_to_family") == "returned_to_family"
    with pytest.raises(InvalidInput, match="cannot go back"):
        set_case_state(ws, actor=LIAISON, case_id="C-3", state="examined")
    overview = remains_overview(ws, actor=LIAISON)
    assert overview["states"]["returned_to_family"] == 1
    assert overview["states"]["received"] == 1 and overview["states"]["examined"] == 1
    assert overview["repatriations"] == [{"id": "R-2026-01", "date": "2026-01-20", "place": "",
                                          "received": 757, "handed_over": 34, "cases": 3}]
