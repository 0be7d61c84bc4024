"""The SQL audit events repository: streamed ranges and single events read back what
``record_event`` wrote, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from parley.domain.actors import Actor
from parley.services.journal import record_event
from parley.services.ports.audit import EventFilter
from parley.services.workspace import Workspace


def _log(ws: Workspace, actor: Actor, n: int) -> list[str]:
    hashes = []
    for i in range(n):
        with ws.store.transaction() as tx:
            event = record_event(tx, actor=actor, action=f"test.{'odd' if i % 2 else 'even'}",
                                 target=f"t:{i}", payload={"i": i, "name": "Олена"})
        hashes.append(event.event_hash)
    return hashes


def test_stream_reads_back_a_range_in_order(ws: Workspace, operator: Actor) -> None:
    events = ws.repos.audit_events
    with ws.store.reading() as tx:
        base = events.last_seq(tx)  # init_workspace logged its own event
    hashes = _log(ws, operator, 7)
    with ws.store.reading() as tx:
        middle = list(events.stream(tx, base + 2, base + 5))
        tail = list(events.stream(tx, base + 6))
        first_two = list(events.stream(tx, limit=2))
        assert events.hash_at(tx, base + 3) == hashes[2]
        assert events.seq_of_hash(tx, hashes[4]) == base + 5
        assert events.seq_of_hash(tx, "0" * 64) is None
        single = events.at(tx, base + 1)
        assert events.at(tx, base + 100) is None
    assert [e.seq for e in middle] == [base + 2, base + 3, base + 4, base + 5]
    assert [e.event_hash for e in middle] == hashes[1:5]
    assert [e.seq for e in tail] == [base + 6, base + 7]
    assert [e.seq for e in first_two] == [1, 2]
    assert single is not None and single.payload == {"i": 0, "name": "Олена"}
    assert single.occurred_at.year >= 2026


def test_newest_filters_and_pages(ws: Workspace, operator: Actor) -> None:
    _log(ws, operator, 6)
    events = ws.repos.audit_events
    with ws.store.reading() as tx:
        odd = events.newest(tx, EventFilter(action="test.odd"), limit=10)
        page = events.newest(tx, EventFilter(action="test."), before=odd[0].seq, limit=2)
    assert [row.target for row in odd] == ["t:5", "t:3", "t:1"]
    assert [row.target for row in page] == ["t:4", "t:3"]
    # Rows for people leave as plain values, their times in UTC whatever the store keeps.
    assert all(row.occurred_at.utcoffset() == timedelta(0) for row in odd)
    assert isinstance(odd[0].payload, dict) and odd[0].payload["name"] == "Олена"
