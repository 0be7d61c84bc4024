"""Redaction at the single point: what ``redact`` keeps, drops and says."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Role
from parley.domain.policy import ClearedActor, Kind, Op
from parley.errors import N_, AccessDenied, NotFound
from parley.services.access import WITHHELD, check_write, deny, redact, redact_many
from parley.services.workspace import Workspace

CANARY = "CANARY-7f3a"


def who(role: Role, agency: str, clearance: str = "secret") -> ClearedActor:
    return ClearedActor(username="u", role=role, agency=agency, clearance=clearance)


def item(agency: str, **extra: object) -> dict[str, object]:
    return {"id": 9, "agency_code": agency, "classification": "restricted",
            "family_name": "Petrenko", "notes": CANARY, "raw": {"x": CANARY}, **extra}


def test_redact_keeps_granted_fields_and_names_the_rest() -> None:
    shown = redact(who(Role.LOGISTICS, "HQ"), Kind.SOURCE_RECORD, item("MOD"))
    assert shown["family_name"] == "Petrenko"
    assert "notes" not in shown and "raw" not in shown
    assert shown[WITHHELD] == ("agency_code", "classification", "notes", "raw")
    assert CANARY not in repr(shown)


def test_redact_drops_unknown_fields() -> None:
    shown = redact(who(Role.ANALYST, "MOD"), Kind.SOURCE_RECORD, item("MOD", token=CANARY))
    assert "token" not in shown and shown["notes"] == CANARY


def test_a_refusal_carries_no_value() -> None:
    with pytest.raises(AccessDenied) as refused:
        redact(who(Role.ANALYST, "MOD"), "source_record", item("SSU"))
    assert CANARY not in str(refused.value) and "Petrenko" not in str(refused.value)


def test_redact_many_drops_what_may_not_be_seen() -> None:
    rows = [item("MOD"), item("DIU"), item("MOI", classification="top_secret")]
    shown = redact_many(who(Role.ANALYST, "MOD"), Kind.SOURCE_RECORD, rows)
    assert [r["agency_code"] for r in shown] == ["MOD"]
    export = redact_many(who(Role.ANALYST, "MOI"), Kind.SOURCE_RECORD, rows[:1], op=Op.EXPORT)
    assert "notes" not in export[0] and export[0]["family_name"] == "Petrenko"


def test_deny_logs_and_hides_existence(ws: Workspace) -> None:
    actor = who(Role.ANALYST, "MOD")
    missing = NotFound(N_("no source record %(record_id)s"), record_id=9)
    err = deny(ws, actor=actor, what="source record 9", target="source_record:9",
               missing=missing)
    assert err is missing and str(err) == "no source record 9"
    with ws.store.reading() as tx:
        events = list(tx.scalars(select(AuditEventRow)
                                 .where(AuditEventRow.action == "access.denied")))
    assert [e.target for e in events] == ["source_record:9"]


def test_check_write_names_the_refused_fields_only() -> None:
    olena = who(Role.ANALYST, "MOD")
    check_write(olena, Kind.SOURCE_RECORD, item("MOD"), ["family_name", "notes"])
    with pytest.raises(AccessDenied) as refused:
        check_write(olena, Kind.SOURCE_RECORD, item("MOI"), ["notes", "family_name"])
    assert str(refused.value) == "you may not change family_name, notes of this source record"
    with pytest.raises(AccessDenied):
        check_write(who(Role.MEDIATOR, "MED"), Kind.LIST, {"id": 1}, ["name"])
