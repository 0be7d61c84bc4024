from __future__ import annotations

import itertools

from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Actor
from parley.domain.audit import GENESIS_HASH, event_hash, payload_hash
from parley.services.journal import record_event
from parley.services.workspace import Workspace


def test_events_form_one_chain_that_rehashes(ws: Workspace, operator: Actor) -> None:
    for n in range(5):
        with ws.store.transaction() as tx:
            record_event(tx, actor=operator, action="test.act", target=f"t:{n}", payload={"n": n})
    with ws.store.reading() as tx:
        rows = list(tx.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))
    # init_workspace wrote the first event
    assert [r.seq for r in rows] == list(range(1, 7))
    assert rows[0].prev_hash == GENESIS_HASH
    for prev, row in itertools.pairwise(rows):
        assert row.prev_hash == prev.event_hash
    from parley.domain.audit import AuditEvent

    for row in rows:
        event = AuditEvent(row.seq, row.occurred_at, row.actor, row.actor_role, row.actor_agency,
                           row.action, row.target, row.payload, row.payload_hash, row.prev_hash,
                           row.event_hash)
        assert payload_hash(row.payload) == row.payload_hash
        assert event_hash(event.leaf_bytes()) == row.event_hash


def test_failed_transaction_leaves_no_event(ws: Workspace, operator: Actor) -> None:
    with ws.store.reading() as tx:
        before = len(list(tx.scalars(select(AuditEventRow))))
    try:
        with ws.store.transaction() as tx:
            record_event(tx, actor=operator, action="test.act", target="x")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with ws.store.reading() as tx:
        assert len(list(tx.scalars(select(AuditEventRow)))) == before
