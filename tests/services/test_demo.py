"""The demo runs every stage on synthetic data, and running it twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.domain.actors import Actor
from parley.errors import AuthenticationFailed, NotFound
from parley.services.accounts import authenticate
from parley.services.answers import list_tasks
from parley.services.audit import verify_log
from parley.services.demo import DEMO_ACCOUNTS, RECEIVE_LIST, build_demo
from parley.services.keys import agency_public_key_text
from parley.services.lists import list_entries
from parley.services.reconciliation import stored_reconciliation
from parley.services.registry import get_source_record
from parley.services.remains import remains_overview
from parley.services.workspace import Workspace
from parley.verify import run as verify_run


def test_demo_builds_a_verifiable_workspace(ws: Workspace, operator: Actor,
                                            tmp_path: Path) -> None:
    first = build_demo(ws, actor=operator, people=80, seed=3, out=tmp_path / "src")
    assert first.sources >= 5
    assert first.records > 80
    assert first.quarantined > 0  # the generator plants malformed rows
    assert 0 < first.persons < first.records
    assert {a[0] for a in first.accounts} == {a[0] for a in DEMO_ACCOUNTS}
    assert any(step.startswith("remains: ") for step in first.steps)
    assert remains_overview(ws, actor=operator)["states"] == {
        "received": 3, "examined": 3, "sampled": 2, "matched": 3, "identified": 4,
        "returned_to_family": 3}  # every state; one sampled case identified by a lab match
    assert len(list_tasks(ws, actor=operator)) > 0  # letters due
    username, _role, _agency, password = first.accounts[0]
    assert authenticate(ws, username=username, password=password).username == username
    assert verify_log(ws).ok
    # the other side's answer was reconciled, and what it confirmed is what the list says
    reconciled = stored_reconciliation(ws, actor=operator, name=RECEIVE_LIST)
    assert reconciled.counts["confirmed"] > 0 and reconciled.counts["unknown"] >= 1
    assert reconciled.counts["duplicate"] >= 1
    confirmed = {r["entry_key"] for r in reconciled.rows if r["outcome"] == "confirmed"}
    # (stage 1 has since moved some of them on to transferred)
    listed = {e.key for e in list_entries(ws, actor=operator, name=RECEIVE_LIST)
              if e.status.value != "proposed"}
    assert listed == confirmed
    assert any("one substitution" in s for s in first.steps)
    # an intelligence analyst reads their agency's (secret) reports; a ministry analyst does not
    passwords = {a[0]: a[3] for a in first.accounts}
    diu = authenticate(ws, username="analyst.diu", password=passwords["analyst.diu"])
    mod = authenticate(ws, username="analyst.mod", password=passwords["analyst.mod"])
    diu_record = _first_record_of(ws, "diu-reports")
    assert get_source_record(ws, actor=diu, record_id=diu_record)["id"] == diu_record
    with pytest.raises(NotFound):
        get_source_record(ws, actor=mod, record_id=diu_record)
    # the exchange day: stage 1 runs to a protocol that verifies offline
    protocol = tmp_path / "src" / "stage-1.protocol"
    assert any(s.startswith("exchange day:") for s in first.steps)
    code, line = verify_run(["protocol", str(protocol), "--key",
                             agency_public_key_text(ws, "HQ")])
    assert code == 0, line

    again = build_demo(ws, actor=operator, people=80, seed=3, out=tmp_path / "src")
    assert (again.records, again.quarantined) == (first.records, first.quarantined)
    assert any("closed already" in s for s in again.steps)
    assert "inquiries: 0 imported, 15 duplicates" in again.steps
    # every run prints passwords that work: the old ones stop working
    assert {a[0] for a in again.accounts} == {a[0] for a in DEMO_ACCOUNTS}
    new_password = dict((a[0], a[3]) for a in again.accounts)[username]
    assert new_password != password
    assert authenticate(ws, username=username, password=new_password).username == username
    with pytest.raises(AuthenticationFailed):
        authenticate(ws, username=username, password=password)


def _first_record_of(ws: Workspace, source: str) -> int:
    from sqlalchemy import select

    from parley.adapters.sql.tables import Source, SourceRecord

    with ws.store.reading() as tx:
        found = tx.scalar(select(SourceRecord.id).join(Source).where(Source.name == source)
                          .order_by(SourceRecord.id).limit(1))
    assert found is not None
    return int(found)
