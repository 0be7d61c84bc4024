"""Adding chosen people to a list: by person id or by source record id (from a search result,
a record or a person's page), each named from a record the adding actor may see.

One use case, one transaction, one new list version with its audit event (``list.add``); the
entry keeps the record it was named from as its origin, so its readers are gated by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from parley.domain.actors import Action, Actor
from parley.domain.lists import Entry
from parley.domain.policy import Kind, may_see
from parley.errors import N_, Conflict, InvalidInput, NotFound
from parley.services.list_store import entries_at, list_row
from parley.services.list_views import ListSummary, summary_for
from parley.services.lists import _drawn_entry, _restriction, _write_version
from parley.services.ports.lists import DrawnRecord
from parley.services.workspace import Workspace

MAX_PEOPLE = 1000
"""People one request may add (one version each time)."""


def _visible(actor: Actor, record: DrawnRecord) -> bool:
    return may_see(actor, Kind.SOURCE_RECORD, {"agency_code": record.agency_code,
                                               "classification": record.classification})


def add_people(
    ws: Workspace, *, actor: Actor, name: str, person_ids: Sequence[int] = (),
    record_ids: Sequence[int] = (), note: str = "", today: date | None = None,
) -> ListSummary:
    """Add the people named by ``person_ids`` and by the persons of ``record_ids`` (key
    ``P<person id>``). A record or person the actor may not see is "not found" (its existence
    is not told); a record not yet resolved to a person is refused; someone already on the
    list is a conflict."""
    actor.require(Action.MANAGE_LISTS)
    if not person_ids and not record_ids:
        raise InvalidInput(N_("name at least one person_id or record_id"))
    if len(person_ids) + len(record_ids) > MAX_PEOPLE:
        raise InvalidInput(N_("at most %(limit)s people at once"), limit=MAX_PEOPLE)
    on = today or date.today()
    with ws.store.transaction() as tx:
        lst = list_row(tx, name)
        sources = ws.repos.list_sources
        chosen: dict[int, DrawnRecord | None] = {int(p): None for p in person_ids}
        for rid in dict.fromkeys(record_ids):
            record = sources.record(tx, int(rid))
            if record is None or not _visible(actor, record):
                raise NotFound(N_("no record %(record_id)s"), record_id=rid)
            if record.person_id is None:
                raise InvalidInput(N_("record %(record_id)s is not resolved to a person yet"),
                                   record_id=rid)
            chosen[int(record.person_id)] = record
        persons = sources.persons(tx, list(chosen))
        records = sources.records_of_persons(
            tx, [p for p, r in chosen.items() if r is None and p in persons])
        present = {e.person_id for e in entries_at(tx, lst) if e.person_id is not None}
        new: list[Entry] = []
        origins: dict[str, tuple[int, ...]] = {}
        for pid, record in chosen.items():
            if pid not in persons:
                raise NotFound(N_("no person %(person_id)s"), person_id=pid)
            if record is None:
                seen = [r for r in records.get(pid, []) if _visible(actor, r)]
                if not seen:
                    raise NotFound(N_("no person %(person_id)s"), person_id=pid)
                record = min(seen, key=_restriction)
            if pid in present:
                raise Conflict(N_("person %(person_id)s is on list '%(name)s' already"),
                               person_id=pid, name=name)
            new.append(_drawn_entry(persons[pid], record, on))
            origins[new[-1].key] = (record.id,)
        lst = _write_version(tx, lst, actor=actor, changed=new,
                             note=note or f"added {len(new)} chosen", action="list.add",
                             origins=origins)
        return summary_for(tx, actor, lst)
