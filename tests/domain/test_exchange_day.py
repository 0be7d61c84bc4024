"""The exchange day's pure core: sheet rows, contradictions, the board, what follows a stage."""

from __future__ import annotations

import pytest

from parley.domain.exchange_day.aftermath import after_handover
from parley.domain.exchange_day.board import PlannedPerson, build_board
from parley.domain.exchange_day.checkin import CheckIn, Outcome, contradiction, parse_sheet
from parley.domain.exchange_day.incidents import Incident
from parley.domain.lists import Entry, Readiness, Status
from parley.errors import Conflict, InvalidInput

HEADER = ["record_id", "side", "outcome", "will_to_return", "fit_to_travel", "note"]


def _row(**kw: str) -> dict[str, str]:
    return {"record_id": "G1", "side": "give", "outcome": "transferred",
            "will_to_return": "yes", "fit_to_travel": "yes", "note": "", **kw}


def test_sheet_rows_follow_article_109_and_name_line_and_field() -> None:
    ((line, c),) = parse_sheet([(2, _row())], source="s.csv", header=HEADER)
    assert (line, c.outcome, c.will_to_return) == (2, Outcome.TRANSFERRED, "yes")
    cases = {
        "field will_to_return: transferred needs": _row(will_to_return=""),
        "field fit_to_travel: transferred needs": _row(fit_to_travel="no"),
        "field will_to_return: declined but": _row(outcome="declined"),
        "field fit_to_travel: unfit but": _row(outcome="unfit", will_to_return=""),
        "field outcome: 'gone' is not one of": _row(outcome="gone"),
        "field side: 'both' is not give or receive": _row(side="both"),
        "field will_to_return: 'maybe'": _row(will_to_return="maybe"),
    }
    for message, row in cases.items():
        with pytest.raises(InvalidInput, match=f"s.csv, line 5, {message}"):
            parse_sheet([(5, row)], source="s.csv", header=HEADER)
    with pytest.raises(InvalidInput, match="missing column"):
        parse_sheet([], source="s.csv", header=HEADER[:3])


def test_a_row_repeated_in_a_sheet_is_kept_once_and_a_different_one_refused() -> None:
    rows = parse_sheet([(2, _row()), (3, _row(note="again"))], source="s.csv", header=HEADER)
    assert len(rows) == 1
    with pytest.raises(InvalidInput, match=r"line 3.*differently on line 2"):
        parse_sheet([(2, _row()), (3, _row(outcome="absent", will_to_return="",
                                          fit_to_travel=""))], source="s.csv", header=HEADER)


def test_contradiction_names_what_changed_and_ignores_notes() -> None:
    a = CheckIn("G1", "give", Outcome.TRANSFERRED, "yes", "yes", "first")
    assert contradiction(a, CheckIn("G1", "give", Outcome.TRANSFERRED, "yes", "yes", "x")) is None
    why = contradiction(a, CheckIn("G1", "give", Outcome.DECLINED, "no", "yes"))
    assert why == "outcome transferred → declined; will_to_return yes → no"


def test_board_parity_by_category() -> None:
    people = [PlannedPerson("G1", "give", "military"), PlannedPerson("G2", "give", "civilian"),
              PlannedPerson("R1", "receive", "military"),
              PlannedPerson("R2", "receive", "military"),
              PlannedPerson("R3", "receive", "civilian")]
    outcomes = {("give", "G1"): Outcome.TRANSFERRED, ("give", "G2"): Outcome.TRANSFERRED,
                ("receive", "R1"): Outcome.TRANSFERRED, ("receive", "R2"): Outcome.TRANSFERRED,
                ("receive", "R3"): Outcome.ABSENT}
    plain = build_board(1, people, outcomes, category_parity=False)
    assert plain.balanced and plain.pending == 0
    per_category = build_board(1, people, outcomes, category_parity=True)
    assert not per_category.balanced  # 2 a side, but civilian 1/0 and military 1/2
    assert per_category.as_data()["receive"] == {"transferred": 2, "declined": 0, "unfit": 0,
                                                  "absent": 1, "mismatch": 0, "pending": 0}
    waiting = build_board(1, people, {}, category_parity=False)
    assert waiting.left["receive"] == ("R1", "R2", "R3") and waiting.balanced


def test_what_follows_a_stage_for_a_list_entry() -> None:
    entry = Entry(key="R1", display_name="R", status=Status.CONFIRMED)
    done = after_handover(entry, CheckIn("R1", "receive", Outcome.TRANSFERRED, "yes", "yes"),
                          stage=1, plan_id=4)
    assert done.status is Status.TRANSFERRED and done.readiness == Readiness(True, True, True)
    assert "stage 1 of plan 4" in done.status_reason
    declined = after_handover(entry, CheckIn("R1", "receive", Outcome.DECLINED, "no", "yes",
                                             "stays"), stage=2, plan_id=4)
    assert declined.status is Status.WITHDRAWN and "Art. 109" in declined.status_reason
    scheduled = Entry(key="R1", display_name="R", status=Status.SCHEDULED,
                      readiness=Readiness(True, True, True))
    unfit = after_handover(scheduled, CheckIn("R1", "receive", Outcome.UNFIT, "yes", "no"),
                           stage=1, plan_id=4)
    assert unfit.status is Status.APPROVED and not unfit.readiness.medical_fit
    withdrawn = Entry(key="R1", display_name="R", status=Status.WITHDRAWN)
    with pytest.raises(Conflict):
        after_handover(withdrawn, CheckIn("R1", "receive", Outcome.TRANSFERRED, "yes", "yes"),
                       stage=1, plan_id=4)


def test_incident_kinds_and_severities() -> None:
    from datetime import UTC, datetime

    at = datetime(2025, 5, 23, 9, 30, tzinfo=UTC)
    found = Incident.parse(stage=1, kind="Route change", severity="HIGH", occurred_at=at,
                           description=" detour ")
    assert found.as_data() == {"kind": "route_change", "severity": "high",
                               "time": "2025-05-23T09:30:00+00:00", "description": "detour"}
    with pytest.raises(InvalidInput, match="incident kind 'flood'"):
        Incident.parse(stage=1, kind="flood", severity="low", occurred_at=at, description="")


ROUTE_HEADER = ["stage", "from", "from_kind", "to", "to_kind", "risk", "window_start",
                "window_end", "escort"]


def _leg(**kw: str) -> dict[str, str]:
    return {"stage": "1", "from": "Assembly A", "from_kind": "assembly", "to": "Checkpoint 1",
            "to_kind": "checkpoint", "risk": "medium", "window_start": "2025-05-23T06:00",
            "window_end": "2025-05-23T09:00", "escort": "military police", **kw}


def test_a_corridor_joins_up_runs_in_its_window_and_ends_at_the_handover_point() -> None:
    from parley.domain.exchange_day.fleet import parse_routes

    good = [(2, _leg()), (3, _leg(**{"from": "Checkpoint 1", "from_kind": "checkpoint",
                                     "to": "Border point", "to_kind": "handover",
                                     "risk": "high"}))]
    legs = parse_routes(good, source="r.csv", header=ROUTE_HEADER)
    assert [leg.leg.end.kind for leg in legs] == ["checkpoint", "handover"]
    bad = {
        "line 3, field from: stage 1's route breaks": [good[0], (3, _leg(**{
            "from": "Elsewhere", "to": "Border point", "to_kind": "handover"}))],
        "line 2, field to_kind: stage 1's route does not end": [good[0]],
        "line 2, field window_end: the window ends before": [(2, _leg(
            window_end="2025-05-23T05:00"))],
        "line 2, field risk: 'extreme'": [(2, _leg(risk="extreme"))],
        "line 2, field escort: every leg": [(2, _leg(escort=""))],
        "line 2, field to_kind: 'camp'": [(2, _leg(to_kind="camp"))],
    }
    for message, rows in bad.items():
        with pytest.raises(InvalidInput, match=f"r.csv, {message}"):
            parse_routes(rows, source="r.csv", header=ROUTE_HEADER)
