"""The exchange day's repository turns a unique key another transaction took first into the
port's ``HandoverClash`` (the service retries once on it), and the spoilt transaction keeps
nothing."""

from __future__ import annotations

import pytest

from parley.clock import utcnow
from parley.domain.actors import Actor
from parley.domain.exchange_day.checkin import CheckIn, Outcome
from parley.services.ports.handover import HandoverClash
from parley.services.workspace import Workspace
from tests.services.exchday_factory import build_day


def test_a_second_checkin_of_the_same_person_clashes(ws: Workspace, operator: Actor) -> None:
    plan_id = build_day(ws, operator)
    first = CheckIn(record_id="G1", side="give", outcome=Outcome.TRANSFERRED)
    with ws.store.transaction() as tx:
        ws.repos.handover.add_checkins(tx, plan_id, 1, [first], source="a.csv", actor="op")
    again = CheckIn(record_id="G1", side="give", outcome=Outcome.ABSENT)
    other = CheckIn(record_id="G2", side="give", outcome=Outcome.TRANSFERRED)
    with pytest.raises(HandoverClash), ws.store.transaction() as tx:
        ws.repos.handover.add_checkins(tx, plan_id, 1, [other, again], source="b.csv",
                                       actor="op")
    with ws.store.reading() as tx:
        stored = ws.repos.handover.checkins(tx, plan_id)
    assert set(stored) == {("give", "G1")}
    assert stored[("give", "G1")].checkin.outcome is Outcome.TRANSFERRED
    assert stored[("give", "G1")].source == "a.csv"


def test_closing_a_stage_twice_clashes(ws: Workspace, operator: Actor) -> None:
    plan_id = build_day(ws, operator)
    with ws.store.transaction() as tx:
        ws.repos.handover.add_closure(tx, plan_id, 1, actor="op", closed_at=utcnow(),
                                      imbalance_reason=None, protocol=b"{}", digest="a" * 64)
    with pytest.raises(HandoverClash), ws.store.transaction() as tx:
        ws.repos.handover.add_closure(tx, plan_id, 1, actor="op2", closed_at=utcnow(),
                                      imbalance_reason=None, protocol=b"{}", digest="b" * 64)
    with ws.store.reading() as tx:
        closure = ws.repos.handover.closure(tx, plan_id, 1)
    assert closure is not None and closure.closed_by == "op"
