"""Settling a conflict by choosing the value that stands (issue 12): kept, audited, checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Actor, Role
from parley.errors import AccessDenied, InvalidInput, NotFound
from parley.services.conflicts import list_conflicts, settle_conflict
from parley.services.resolution import resolve_identities
from parley.services.workspace import Workspace
from tests.services.identity_factory import PEOPLE, add_records, person


def _status_conflict(ws: Workspace, operator: Actor) -> int:
    # The people of the identity pages' fixture: the linkage model trains on all of them.
    add_records(ws, source="MOD register", agency="MOD", reliability="A1",
                rows=[{**PEOPLE[0], "status": "held"}, *PEOPLE[1:]])
    add_records(ws, source="OMB requests", agency="OMB", reliability="C3", rows=[
        {**PEOPLE[0], "status": "deceased"}, PEOPLE[1], PEOPLE[2], PEOPLE[3],
        person("Коваленко", "Іван", "", "1991-02-03")])
    resolve_identities(ws, actor=operator)
    found = [c for c in list_conflicts(ws, actor=operator) if c.kind == "status"]
    assert len(found) == 1 and set(found[0].values) == {"held", "deceased"}
    return found[0].id


def test_the_chosen_value_stands_and_is_audited(ws: Workspace, operator: Actor) -> None:
    cid = _status_conflict(ws, operator)
    done = settle_conflict(ws, actor=operator, conflict_id=cid, value="held",
                           reason="ICRC visit confirms he is held")
    assert done.state == "resolved" and done.settled_value == "held"
    again = [c for c in list_conflicts(ws, actor=operator, state="resolved") if c.id == cid]
    assert again and again[0].settled_value == "held"
    assert again[0].as_dict()["settled_value"] == "held"
    with ws.store.reading() as tx:
        events = list(tx.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "identity.conflict_settled")))
    assert len(events) == 1 and events[0].payload["value"] == "held"
    assert events[0].target == f"conflict:{cid}"


def test_a_value_not_in_the_conflict_is_refused(ws: Workspace, operator: Actor) -> None:
    cid = _status_conflict(ws, operator)
    with pytest.raises(InvalidInput, match="not one of the conflict's values"):
        settle_conflict(ws, actor=operator, conflict_id=cid, value="released", reason="x")
    with pytest.raises(InvalidInput, match="needs a reason"):
        settle_conflict(ws, actor=operator, conflict_id=cid, value="held", reason=" ")
    settle_conflict(ws, actor=operator, conflict_id=cid, value="deceased", reason="certificate")
    with pytest.raises(InvalidInput, match="not open"):
        settle_conflict(ws, actor=operator, conflict_id=cid, value="held", reason="again")
    with pytest.raises(NotFound):
        settle_conflict(ws, actor=operator, conflict_id=cid + 1000, value="held", reason="x")


def test_a_role_without_the_right_may_not_settle(ws: Workspace, operator: Actor) -> None:
    cid = _status_conflict(ws, operator)
    mediator = Actor(username="icrc", role=Role.MEDIATOR, agency="MED")
    with pytest.raises(AccessDenied):
        settle_conflict(ws, actor=mediator, conflict_id=cid, value="held", reason="x")
