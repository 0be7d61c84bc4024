"""The need-to-know policy, as plain values: gates, table, deny by default."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.agencies import DEFAULT_AGENCIES, INTELLIGENCE_AGENCIES
from parley.domain.policy import (
    CLEARANCE_LEVELS,
    FIELDS,
    HAS_ORIGIN,
    RULES,
    ClearedActor,
    Group,
    Kind,
    Op,
    allowed_groups,
    blocked_agencies,
    clearance_of,
    field_allowed,
    kinds_readable,
    may_see,
    readable_classifications,
)


def who(role: Role, agency: str, clearance: str = "secret") -> ClearedActor:
    return ClearedActor(username=f"{role}-{agency}", role=role, agency=agency,
                        clearance=clearance)


def record(agency: str = "MOD", classification: str = "restricted") -> dict[str, object]:
    return {"id": 1, "agency_code": agency, "classification": classification,
            "family_name": "Petrenko", "notes": "x"}


def test_intelligence_items_stay_with_the_intelligence_services() -> None:
    item = record("DIU")
    assert not may_see(who(Role.ANALYST, "MOD"), Kind.SOURCE_RECORD, item)
    assert not may_see(who(Role.COORDINATOR, "HQ"), Kind.SOURCE_RECORD, item)
    assert not may_see(who(Role.ADMIN, "HQ"), Kind.SOURCE_RECORD, item)
    assert may_see(who(Role.ANALYST, "DIU"), Kind.SOURCE_RECORD, item)
    assert may_see(who(Role.ANALYST, "SSU"), Kind.SOURCE_RECORD, item)
    assert may_see(LOCAL_OPERATOR, Kind.SOURCE_RECORD, item)


def test_clearance_must_reach_the_classification() -> None:
    secret = record(classification="secret")
    assert not may_see(who(Role.ANALYST, "MOD", "restricted"), Kind.SOURCE_RECORD, secret)
    assert may_see(who(Role.ANALYST, "MOD", "secret"), Kind.SOURCE_RECORD, secret)
    assert not may_see(who(Role.ANALYST, "MOD", "top_secret"), Kind.SOURCE_RECORD,
                       record(classification="cosmic"))  # unknown: above everything


def test_the_mediator_sees_lists_and_protocols_only() -> None:
    mediator = who(Role.MEDIATOR, "MED")
    assert kinds_readable(mediator) == {Kind.LIST, Kind.LIST_ENTRY, Kind.STAGE_PROTOCOL}
    assert not may_see(mediator, Kind.SOURCE_RECORD, record())
    assert not may_see(mediator, Kind.EVIDENCE, record())
    assert not may_see(mediator, Kind.AUDIT_EVENT, {"seq": 1, "action": "x"})
    assert may_see(mediator, Kind.LIST, {"id": 1, "name": "to receive"})


def test_logistics_see_identity_not_detail() -> None:
    lev = who(Role.LOGISTICS, "HQ")
    assert field_allowed(lev, Kind.SOURCE_RECORD, Op.READ, record(), "family_name")
    assert not field_allowed(lev, Kind.SOURCE_RECORD, Op.READ, record(), "notes")
    assert not field_allowed(lev, Kind.SOURCE_RECORD, Op.READ, record(), "raw")


def test_details_are_exported_only_for_the_readers_own_agency() -> None:
    olena = who(Role.ANALYST, "MOD")
    assert field_allowed(olena, Kind.SOURCE_RECORD, Op.EXPORT, record("MOD"), "notes")
    assert not field_allowed(olena, Kind.SOURCE_RECORD, Op.EXPORT, record("MOI"), "notes")
    assert field_allowed(olena, Kind.SOURCE_RECORD, Op.READ, record("MOI"), "notes")
    assert field_allowed(olena, Kind.SOURCE_RECORD, Op.EXPORT, record("MOI"), "family_name")


def test_unknown_fields_and_missing_origins_are_withheld() -> None:
    olena = who(Role.ANALYST, "MOD")
    assert not field_allowed(olena, Kind.SOURCE_RECORD, Op.READ, record(), "password_hash")
    no_origin = {"id": 1, "family_name": "Petrenko"}
    assert allowed_groups(olena, Kind.SOURCE_RECORD, Op.READ, no_origin) == frozenset()


def test_auditors_read_metadata_not_payloads() -> None:
    auditor = who(Role.AUDITOR, "HQ")
    event = {"seq": 3, "action": "ingest", "payload": {"name": "Petrenko"}}
    assert field_allowed(auditor, Kind.AUDIT_EVENT, Op.READ, event, "action")
    assert not field_allowed(auditor, Kind.AUDIT_EVENT, Op.READ, event, "payload")


def test_writes_are_limited_to_the_own_agency() -> None:
    olena = who(Role.ANALYST, "MOD")
    assert field_allowed(olena, Kind.SOURCE_RECORD, Op.WRITE, record("MOD"), "family_name")
    assert not field_allowed(olena, Kind.SOURCE_RECORD, Op.WRITE, record("MOI"), "family_name")
    assert not field_allowed(who(Role.MEDIATOR, "MED"), Kind.LIST, Op.WRITE, {"id": 1}, "name")


def test_plain_actors_get_the_role_default_clearance() -> None:
    assert clearance_of(LOCAL_OPERATOR) == "top_secret"
    assert clearance_of(Actor(username="x", role=Role.ANALYST, agency="MOD")) == "restricted"
    assert readable_classifications(who(Role.ANALYST, "MOD", "confidential")) == (
        "public", "restricted", "confidential")
    assert blocked_agencies(who(Role.ANALYST, "MOD")) == INTELLIGENCE_AGENCIES
    assert blocked_agencies(who(Role.ANALYST, "FIS")) == frozenset()


def test_the_table_names_only_declared_kinds_and_no_secret_group() -> None:
    for rule in RULES:
        assert rule.kind in FIELDS
        assert Group.SECRET not in rule.groups
    for kind in HAS_ORIGIN:  # the gates read these two fields, so the kinds must declare them
        assert FIELDS[kind]["agency_code"] is Group.PROVENANCE
        assert FIELDS[kind]["classification"] is Group.PROVENANCE


AGENCIES = [a.code for a in DEFAULT_AGENCIES]


@given(role=st.sampled_from([r for r in Role if r is not Role.OPERATOR]),
       reader=st.sampled_from(AGENCIES), origin=st.sampled_from(sorted(INTELLIGENCE_AGENCIES)),
       clearance=st.sampled_from(CLEARANCE_LEVELS), kind=st.sampled_from(list(Kind)),
       op=st.sampled_from(list(Op)))
def test_no_rule_lets_intelligence_reach_another_service(
        role: Role, reader: str, origin: str, clearance: str, kind: Kind, op: Op) -> None:
    actor = who(role, reader, clearance)
    item = {"id": 1, "agency_code": origin, "classification": "public", "notes": "x"}
    groups = allowed_groups(actor, kind, op, item)
    if reader not in INTELLIGENCE_AGENCIES:
        assert groups == frozenset()
