"""Redaction: the single point where the policy (``parley.domain.policy``) is applied to data.

Every service that hands items to an interface passes them through here, so pages, API
responses, exports and audit views are redacted alike::

    from parley.domain.policy import Kind, Op
    from parley.services.access import redact, redact_many, deny

    row = {"id": r.id, "agency_code": r.agency_code, "classification": r.classification,
           "family_name": r.family_name, "notes": r.notes}
    shown = redact(actor, Kind.SOURCE_RECORD, row)            # one item (AccessDenied if none)
    shown_rows = redact_many(actor, Kind.SOURCE_RECORD, rows)  # drops items the actor may not see
    export_rows = redact_many(actor, Kind.SOURCE_RECORD, rows, op=Op.EXPORT)
    check_write(actor, Kind.SOURCE_RECORD, row, ["status"])     # before changing an item

The mapping must carry ``agency_code`` (originating agency) and ``classification`` when the item
has them: the gates read those two. The result holds only the granted fields, plus
``"_withheld"``: the names of the fields removed (names only, never values). Errors raised here
never contain a value of the item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from parley.domain.actors import Actor
from parley.domain.policy import FIELDS, Group, Kind, Op, allowed_groups, field_allowed
from parley.errors import N_, AccessDenied, NotFound, Term
from parley.services.journal import record_event
from parley.services.workspace import Workspace

WITHHELD = "_withheld"


def _apply(groups: frozenset[Group], kind: Kind, item: Mapping[str, Any]) -> dict[str, Any]:
    fields = FIELDS[kind]
    shown: dict[str, Any] = {}
    withheld: list[str] = []
    for name, value in item.items():
        group = fields.get(name)
        if group is not None and group in groups:
            shown[name] = value
        else:
            withheld.append(name)
    shown[WITHHELD] = tuple(sorted(withheld))
    return shown


def redact(actor: Actor, item_kind: Kind | str, item: Mapping[str, Any],
           op: Op = Op.READ) -> dict[str, Any]:
    """The fields of ``item`` the actor may ``op``; ``AccessDenied`` if the item is not theirs."""
    kind = Kind(item_kind)
    groups = allowed_groups(actor, kind, op, item)
    if not groups - {Group.KEY}:
        raise AccessDenied(
            N_("this %(kind)s is not available to you"),
            kind=Term(kind.value),
        )
    return _apply(groups, kind, item)


def redact_many(actor: Actor, item_kind: Kind | str, items: Iterable[Mapping[str, Any]],
                op: Op = Op.READ) -> list[dict[str, Any]]:
    """Redact each item and drop those the actor may not see at all (their existence included)."""
    kind = Kind(item_kind)
    shown: list[dict[str, Any]] = []
    for item in items:
        groups = allowed_groups(actor, kind, op, item)
        if groups - {Group.KEY}:
            shown.append(_apply(groups, kind, item))
    return shown


def check_write(actor: Actor, item_kind: Kind | str, item: Mapping[str, Any],
                fields: Iterable[str]) -> None:
    """Refuse (``AccessDenied``, naming fields only) a change to any field the actor may not
    write; services call it before they change an item."""
    kind = Kind(item_kind)
    refused = sorted(f for f in fields if not field_allowed(actor, kind, Op.WRITE, item, f))
    if refused:
        raise AccessDenied(
            N_("you may not change %(refused)s of this %(kind)s"),
            refused=', '.join(refused), kind=Term(kind.value),
        )


def deny(ws: Workspace, *, actor: Actor, what: str, target: str,
         missing: NotFound) -> NotFound:
    """Log a denied access and return the error to raise: ``missing``, the very ``NotFound`` a
    missing item gets, so a refusal does not confirm that an item the actor may not know of
    exists."""
    log_denied(ws, actor=actor, action=f"read {what}", target=target)
    return missing


def log_denied(ws: Workspace, *, actor: Actor, action: str, target: str) -> None:
    """Record that an actor was refused an action (the web layer calls it on every 403)."""
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="access.denied", target=target[:300],
                     payload={"action": action})
