"""Need-to-know: the one declared, deny-by-default policy on which fields of which items each role
and agency may read, write or export.

Three questions decide every field, in this order:

1. **Clearance**: an item classified above the reader's clearance is not there for the reader
   (an unknown classification counts as above every clearance).
2. **Intelligence stays with the intelligence services**: an item that originates in an
   intelligence agency (DIU, SSU, FIS) exists only for readers of an intelligence agency (and
   the local operator, who holds the database anyway).
3. **The table** (``RULES``): a field is granted only if a row names the reader's role, the item
   kind, the field's group and the operation, and the row's reach covers the item (any agency, or
   the reader's own agency). A field the table does not know is withheld.

The mediator role is given lists and stage protocols only; the auditor the audit log's metadata.
This module is pure: callers (``parley.services.access``) pass plain mappings in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from parley.domain.actors import Actor, Role
from parley.domain.agencies import INTELLIGENCE_AGENCIES

CLEARANCE_LEVELS: tuple[str, ...] = ("public", "restricted", "confidential", "secret", "top_secret")
"""Classification of items and clearance of users share this ladder, lowest first."""


@dataclass(frozen=True, slots=True)
class ClearedActor(Actor):
    """An actor whose clearance is known (a signed-in user); plain actors get the role default."""

    clearance: str = "restricted"


ROLE_DEFAULT_CLEARANCE: dict[Role, str] = {Role.OPERATOR: "top_secret"}


def clearance_of(actor: Actor) -> str:
    if isinstance(actor, ClearedActor):
        return actor.clearance
    return ROLE_DEFAULT_CLEARANCE.get(actor.role, "restricted")


def level(name: str) -> int:
    """Rank on the ladder; an unknown name is above everything (deny by default)."""
    try:
        return CLEARANCE_LEVELS.index(name.strip().lower())
    except ValueError:
        return len(CLEARANCE_LEVELS)


class Op(StrEnum):
    READ = "read"
    WRITE = "write"
    EXPORT = "export"


class Kind(StrEnum):
    SOURCE_RECORD = "source_record"
    QUARANTINED_ROW = "quarantined_row"
    IMPORT_BATCH = "import_batch"
    EVIDENCE = "evidence"
    PERSON = "person"
    LIST = "list"
    LIST_ENTRY = "list_entry"
    STAGE_PROTOCOL = "stage_protocol"
    AUDIT_EVENT = "audit_event"
    INQUIRY = "inquiry"  # a relative's inquiry, its answer tasks and letters


class Group(StrEnum):
    KEY = "key"  # ids that only point at the item
    IDENTITY = "identity"  # Art. 17 identity data and status
    DETAIL = "detail"  # everything an agency learnt beyond identity: raw rows, notes, places
    PROVENANCE = "provenance"  # where it came from
    CONTENT = "content"  # the body of a list, protocol or audit event
    CONTACT = "contact"  # who asks a question and how to reach them, with their consent
    SECRET = "secret"  # never leaves the service layer (hashes of credentials, keys)


_IDENTITY = ("family_name", "given_name", "patronymic", "birth_date", "sex", "citizenship",
             "rank", "service_number", "status", "display_name", "family_key", "given_key",
             "patronymic_key")
_DETAIL = ("birth_place", "address", "military_unit", "document_number", "capture_date",
           "capture_place", "notes", "raw", "raw_text", "originals", "extras", "reason", "field",
           "value", "property")
_PROVENANCE = ("source", "source_id", "source_name", "agency_code", "file_name", "line_no",
               "imported_at", "content_hash", "classification", "reliability", "batch_id",
               "record_key", "quarantined_at", "observed_at", "file_sha256", "file_format",
               "encoding", "delimiter", "column_map", "actor", "started_at", "finished_at",
               "rows_read", "rows_imported", "rows_duplicate", "rows_quarantined",
               "source_record_id")


INQUIRY_CONTACT = ("inquirer_name", "inquirer_relation", "inquirer_phone", "inquirer_email",
                   "consent", "consent_contact", "consent_icrc", "letter")
"""An inquirer's contact details and consent (and the letter addressed to them): the family
liaison's and the ombudsman's office's only."""
FAMILY_OFFICE = "OMB"
"""The agency that holds relatives' contact details; inquiry items carry it as their agency."""


def _groups(**groups: Iterable[str]) -> dict[str, Group]:
    return {f: Group(g) for g, fields in groups.items() for f in fields}


FIELDS: dict[Kind, dict[str, Group]] = {
    Kind.SOURCE_RECORD: _groups(key=("id", "person_id"), identity=_IDENTITY, detail=_DETAIL,
                                provenance=_PROVENANCE),
    Kind.QUARANTINED_ROW: _groups(key=("id",), detail=_DETAIL, provenance=_PROVENANCE),
    Kind.IMPORT_BATCH: _groups(key=("id",), provenance=_PROVENANCE),
    Kind.EVIDENCE: _groups(key=("id", "person_id"), identity=_IDENTITY, detail=_DETAIL,
                           provenance=_PROVENANCE),
    Kind.PERSON: _groups(key=("id",), identity=(*_IDENTITY, "verified"),
                         detail=("verification_reason", "created_at", "updated_at")),
    Kind.LIST: _groups(key=("id",), content=("name", "version", "direction", "status", "counts",
                                             "content_hash", "created_at", "released_at")),
    Kind.LIST_ENTRY: _groups(key=("id", "list_id", "person_id"),
                             identity=_IDENTITY, content=("category", "priority", "position",
                                                          "confirmed", "held_back",
                                                          "readiness"),
                             # The facts drawn from the sources (capture date, unit…) and the
                             # planner's reasons, which quote them.
                             detail=("facts", "reason")),
    Kind.STAGE_PROTOCOL: _groups(key=("id",), content=("stage", "date", "place", "counts",
                                                       "entries", "signatures", "content_hash")),
    Kind.AUDIT_EVENT: _groups(key=("seq",), provenance=("occurred_at", "actor", "actor_role",
                                                        "actor_agency", "action", "target",
                                                        "payload_hash", "prev_hash",
                                                        "event_hash"),
                              content=("payload",)),
    Kind.INQUIRY: _groups(
        key=("id", "person_id", "inquiry_key", "task_id"), identity=_IDENTITY,
        detail=("birth_place", "military_unit", "document_number", "capture_date",
                "capture_place", "notes", "extras"),
        content=("state", "channel", "handler", "group_key", "record_ids", "probability",
                 "created_at", "linked_by", "linked_at", "file_name", "line_no", "event",
                 "detail", "sent_how", "sent_at", "sent_by", "candidates"),
        contact=INQUIRY_CONTACT),
}
"""Every field each kind of item may carry, by group. Unlisted fields are withheld."""

HAS_ORIGIN: frozenset[Kind] = frozenset(
    {Kind.SOURCE_RECORD, Kind.QUARANTINED_ROW, Kind.IMPORT_BATCH, Kind.EVIDENCE}
)
"""Kinds that must name their originating agency (``agency_code``); without one they are
withheld. Other kinds belong to the staff as a whole unless they name an agency."""


class Reach(StrEnum):
    ANY = "any"  # items of any agency the gates let through
    OWN = "own"  # items of the reader's own agency only


@dataclass(frozen=True, slots=True)
class Rule:
    role: Role
    kind: Kind
    groups: frozenset[Group]
    ops: frozenset[Op]
    reach: Reach = Reach.ANY


def _rule(role: Role, kind: Kind, groups: str, ops: str, reach: Reach = Reach.ANY) -> Rule:
    return Rule(role, kind, frozenset(Group(g) for g in groups.split()),
                frozenset(Op(o) for o in ops.split()), reach)


_REGISTRY = (Kind.SOURCE_RECORD, Kind.EVIDENCE)
_STAFF_ANALYSTS = (Role.ADMIN, Role.COORDINATOR, Role.ANALYST)

RULES: tuple[Rule, ...] = (
    # The local operator holds the database file: everything but credentials.
    *(_rule(Role.OPERATOR, k, "key identity detail provenance content contact",
            "read write export")
      for k in Kind),
    # Analysts, coordinators and administrators read the registry in full (after the gates) and
    # export identity and provenance; details leave the system only for their own agency's items.
    *(_rule(r, k, "key identity detail provenance", "read") for r in _STAFF_ANALYSTS
      for k in _REGISTRY),
    *(_rule(r, k, "key identity provenance", "export") for r in _STAFF_ANALYSTS
      for k in _REGISTRY),
    *(_rule(r, k, "detail", "export", Reach.OWN) for r in _STAFF_ANALYSTS for k in _REGISTRY),
    *(_rule(r, Kind.SOURCE_RECORD, "key identity detail provenance", "write", Reach.OWN)
      for r in _STAFF_ANALYSTS),
    *(_rule(r, k, "key detail provenance", "read", Reach.OWN) for r in _STAFF_ANALYSTS
      for k in (Kind.QUARANTINED_ROW, Kind.IMPORT_BATCH)),
    *(_rule(r, Kind.IMPORT_BATCH, "key provenance", "read") for r in _STAFF_ANALYSTS),
    *(_rule(r, Kind.PERSON, "key identity detail", "read export") for r in _STAFF_ANALYSTS),
    *(_rule(r, k, "key identity content", "read export") for r in _STAFF_ANALYSTS
      for k in (Kind.LIST, Kind.LIST_ENTRY, Kind.STAGE_PROTOCOL)),
    *(_rule(r, Kind.LIST_ENTRY, "detail", "read") for r in _STAFF_ANALYSTS),
    *(_rule(r, k, "key identity content", "write") for r in (Role.ADMIN, Role.COORDINATOR)
      for k in (Kind.LIST, Kind.LIST_ENTRY, Kind.STAGE_PROTOCOL)),
    _rule(Role.ADMIN, Kind.AUDIT_EVENT, "key provenance content", "read export"),
    _rule(Role.COORDINATOR, Kind.AUDIT_EVENT, "key provenance", "read"),
    # Logistics move people: identity only, never the intelligence behind it.
    *(_rule(Role.LOGISTICS, k, "key identity", "read") for k in (*_REGISTRY, Kind.PERSON)),
    *(_rule(Role.LOGISTICS, k, "key identity content", "read export")
      for k in (Kind.LIST, Kind.LIST_ENTRY, Kind.STAGE_PROTOCOL)),
    _rule(Role.LOGISTICS, Kind.STAGE_PROTOCOL, "content", "write"),
    # The mediator sees lists and stage protocols, nothing else.
    *(_rule(Role.MEDIATOR, k, "key identity content", "read export")
      for k in (Kind.LIST, Kind.LIST_ENTRY, Kind.STAGE_PROTOCOL)),
    # The auditor reads who did what and the hashes; payloads may carry registry detail.
    _rule(Role.AUDITOR, Kind.AUDIT_EVENT, "key provenance", "read export"),
    # Families: the liaison holds the inquiries whole; the staff see who is sought and where
    # the inquiry stands, and the inquirer's contact details only within the ombudsman's office.
    _rule(Role.FAMILY_LIAISON, Kind.INQUIRY, "key identity detail content contact",
          "read write export"),
    *(_rule(r, Kind.INQUIRY, "key identity detail content", "read export")
      for r in _STAFF_ANALYSTS),
    *(_rule(r, Kind.INQUIRY, "key identity detail content contact", "read write export",
            Reach.OWN) for r in _STAFF_ANALYSTS),
    *(_rule(r, Kind.INQUIRY, "key content", "write") for r in _STAFF_ANALYSTS),
)


OUTSIDERS: frozenset[Role] = frozenset({Role.MEDIATOR})
"""Roles outside the staff: never intelligence readers, whatever agency code their account has
(the mediator is a neutral party and sees no intelligence detail)."""

RELEASED_ONLY: frozenset[Role] = frozenset({Role.MEDIATOR})
"""Roles that read a list only as released: its newest released version, never a draft."""


def _index(rules: Iterable[Rule]) -> dict[tuple[Role, Kind, Op], list[Rule]]:
    index: dict[tuple[Role, Kind, Op], list[Rule]] = {}
    for rule in rules:
        for op in rule.ops:
            index.setdefault((rule.role, rule.kind, op), []).append(rule)
    return index


_RULE_INDEX = _index(RULES)


def is_intelligence(agency: str | None) -> bool:
    return agency is not None and agency.strip().upper() in INTELLIGENCE_AGENCIES


def item_reachable(actor: Actor, kind: Kind, item: Mapping[str, object]) -> bool:
    """The two gates: clearance against classification, and intelligence need-to-know."""
    classification = item.get("classification")
    if classification is not None and level(str(classification)) > level(clearance_of(actor)):
        return False
    agency = item.get("agency_code")
    if agency is None:
        return kind not in HAS_ORIGIN
    if is_intelligence(str(agency)) and actor.role is not Role.OPERATOR:
        return is_intelligence(actor.agency) and actor.role not in OUTSIDERS
    return True


def allowed_groups(
    actor: Actor, kind: Kind, op: Op, item: Mapping[str, object]
) -> frozenset[Group]:
    """The field groups of ``item`` the actor may ``op``; empty means the item is not theirs."""
    if not item_reachable(actor, kind, item):
        return frozenset()
    agency = item.get("agency_code")
    granted: set[Group] = set()
    for rule in _RULE_INDEX.get((actor.role, kind, op), ()):
        if rule.reach is Reach.OWN and (agency is None or str(agency) != actor.agency):
            continue
        granted |= rule.groups
    granted.discard(Group.SECRET)
    return frozenset(granted)


def field_allowed(actor: Actor, kind: Kind, op: Op, item: Mapping[str, object],
                  field: str) -> bool:
    group = FIELDS[kind].get(field)
    return group is not None and group in allowed_groups(actor, kind, op, item)


def fields_allowed(actor: Actor, kind: Kind, op: Op, item: Mapping[str, object]
                   ) -> frozenset[str]:
    """Every declared field of ``kind`` the actor may ``op`` on this item (one policy lookup)."""
    return _fields_in(kind, allowed_groups(actor, kind, op, item))


@cache
def _fields_in(kind: Kind, groups: frozenset[Group]) -> frozenset[str]:
    """The declared fields of ``kind`` in ``groups``: a few distinct answers, asked once per
    item of a page (FIELDS never changes at run time)."""
    return frozenset(f for f, g in FIELDS[kind].items() if g in groups)


def may_see(actor: Actor, kind: Kind, item: Mapping[str, object], op: Op = Op.READ) -> bool:
    """Whether the item exists for the actor at all (some group beyond its key is granted)."""
    return bool(allowed_groups(actor, kind, op, item) - {Group.KEY})


def most_restrictive(origins: Iterable[Mapping[str, object]]) -> dict[str, str | None]:
    """One ``agency_code`` and ``classification`` that gate an item built from several sources
    (a list entry drawn from records): the highest classification and, if any source is an
    intelligence agency's, that agency — so the item reaches only readers of every source."""
    agency: str | None = None
    classification: str | None = None
    for origin in origins:
        c, a = origin.get("classification"), origin.get("agency_code")
        if c is not None and (classification is None or level(str(c)) > level(classification)):
            classification = str(c)
        if a is not None and (agency is None or (is_intelligence(str(a))
                                                 and not is_intelligence(agency))):
            agency = str(a)
    return {"agency_code": agency, "classification": classification}


def readable_classifications(actor: Actor) -> tuple[str, ...]:
    """Classifications the actor's clearance reaches (for filtering queries in the store)."""
    return CLEARANCE_LEVELS[: level(clearance_of(actor)) + 1]


def blocked_agencies(actor: Actor) -> frozenset[str]:
    """Originating agencies whose items the actor can never see (for filtering queries)."""
    if actor.role is Role.OPERATOR or is_intelligence(actor.agency):
        return frozenset()
    return INTELLIGENCE_AGENCIES


def kinds_readable(actor: Actor, op: Op = Op.READ) -> frozenset[Kind]:
    """Item kinds the actor's role may ``op`` some part of (drives links and buttons)."""
    return frozenset(k for (role, k, rule_op), rules in _RULE_INDEX.items()
                     if role is actor.role and rule_op is op
                     and any(r.groups - {Group.KEY} for r in rules))
