"""Need-to-know on exchange lists: an entry is shown only as far as its sources allow.

An entry drawn from the registry carries the names, dates and facts of a source record; it is
therefore gated like that record (``agency_code`` and ``classification`` of its sources, the most
restrictive when there are several) through the one redaction point, ``parley.services.access``.
A reader who may not see an entry's sources does not see the entry, exactly as if it were not on
the list (counts included); a role that reads lists only as released (the mediator) reads the
newest released version and nothing of the drafts. Entries written before their origin was
kept are gated by their person's oldest record, which is what they were named from.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from parley.domain.actors import Actor
from parley.domain.lists import Entry
from parley.domain.policy import RELEASED_ONLY, Kind, Op, clearance_of, most_restrictive
from parley.errors import N_, NotFound
from parley.services.access import redact_many
from parley.services.list_store import ORIGIN, entry_from_data, entry_rows_at
from parley.services.ports import Tx, repositories_of
from parley.services.ports.lists import ListHead, Origin, StoredEntry

CONFIRMED = frozenset({"confirmed", "approved", "scheduled", "transferred"})
_NAMES = ("display_name", "family_name", "given_name", "patronymic", "birth_date")
IDENTITY_FACTS = ("service_number", "rank")
"""Facts that are Art. 17 identity data: a reader who sees the entry's names sees them too (the
handover team checks a number at the point), even when the entry's other facts are withheld."""
TRANSPORT_FACTS = ("cannot_sit",)
"""Facts the convoy needs (a stretcher place), never withheld from a reader of the entry."""


@dataclass(frozen=True, slots=True)
class ShownEntry:
    """An entry as one reader may see it: the entry (withheld parts blanked) and its redacted
    item (what pages and the API show, with the names of withheld fields)."""

    entry: Entry
    item: dict[str, Any]


def entry_item(entry: Entry, origin: Mapping[str, str | None], list_name: str = ""
               ) -> dict[str, Any]:
    """The entry as the policy's ``list_entry`` item, gated by its sources' origin."""
    return {
        "id": entry.key, "list_id": list_name, "person_id": entry.person_id,
        "display_name": entry.display_name, "family_name": entry.family_name,
        "given_name": entry.given_name, "patronymic": entry.patronymic,
        "birth_date": entry.birth_date, "category": entry.category,
        "status": entry.status.value, "held_back": entry.status_reason,
        "confirmed": entry.status.value in CONFIRMED, "facts": dict(entry.facts),
        "agency_code": origin.get("agency_code"), "classification": origin.get("classification"),
    }


def sources_of(tx: Tx, rows: Iterable[StoredEntry]) -> dict[str, list[int]]:
    """The records each entry was drawn from: kept with the entry, or for an entry stored
    before origins were kept, its person's oldest record."""
    sources: dict[str, list[int]] = {}
    legacy: dict[str, int] = {}
    for row in rows:
        kept = row.data.get(ORIGIN) if isinstance(row.data, dict) else None
        if isinstance(kept, dict):
            sources[row.key] = [int(i) for i in kept.get("records") or ()]
        elif row.person_id is not None:
            legacy[row.key] = int(row.person_id)
    first = repositories_of(tx).list_sources.first_records(tx, legacy.values()) if legacy else {}
    for key, person in legacy.items():
        sources[key] = [first[person]] if person in first else []
    return sources


def record_origins(tx: Tx, record_ids: Iterable[int]) -> dict[int, Origin]:
    """The gate of each of these source records that exists (the registry's one query)."""
    wanted = set(record_ids)
    if not wanted:
        return {}
    return {rid: o.gate for rid, o in repositories_of(tx).registry.origins(tx, wanted).items()}


def origins_of(tx: Tx, rows: Sequence[StoredEntry]) -> dict[str, Origin]:
    """Each entry's gate: the most restrictive origin of the records it was drawn from."""
    sources = sources_of(tx, rows)
    known = record_origins(tx, {i for ids in sources.values() for i in ids})
    out: dict[str, Origin] = {}
    for key, ids in sources.items():
        # A source that no longer exists is taken as the highest classification.
        out[key] = most_restrictive(known.get(i, {"classification": "top_secret"}) for i in ids)
    return out


def released_versions(tx: Tx, lst: ListHead) -> list[int]:
    return repositories_of(tx).list_versions.released(tx, lst.id)


def readable_version(tx: Tx, actor: Actor, lst: ListHead,
                     version: int | None = None) -> int:
    """The version a reader gets: the one asked for (default: the newest), or for a role that
    reads only released lists the newest released one; a draft is reported as missing."""
    if actor.role not in RELEASED_ONLY:
        v = lst.version if version is None else version
        if not 0 <= v <= lst.version:
            raise NotFound(N_("list '%(name)s' has no version %(version)s (newest is %(newest)s)"),
                           name=lst.name, version=v, newest=lst.version)
        return v
    if version is None:
        newest = repositories_of(tx).list_versions.newest_released(tx, lst.id)
        if newest is None:
            raise NotFound(N_("no list named '%(name)s'"), name=lst.name)
        return newest
    if version not in released_versions(tx, lst):
        raise NotFound(N_("list '%(name)s' has no version %(version)s"), name=lst.name,
                       version=version)
    return version


_Version = tuple[tuple[Entry, Origin], ...]
_CACHE: WeakKeyDictionary[Any, OrderedDict[tuple[int, int, str], _Version]] = (
    WeakKeyDictionary())
_CACHE_LOCK = Lock()
CACHED_VERSIONS = 16
"""List versions kept parsed per database. A version never changes once written (and records
never change origin), so a cached version is keyed by its content hash and needs no expiry."""
_FILLS = [0]


def note_filled() -> None:
    """Count a view taken into a process cache (here or of plans): see :func:`cache_fills`."""
    with _CACHE_LOCK:
        _FILLS[0] += 1


def cache_fills() -> int:
    """How many views the process caches have taken in so far. A server moves what they keep
    out of the garbage collector's walk when this changes (``parley.interfaces.web.collector``):
    5,000 entries a view, long-lived, would otherwise be walked by every full collection."""
    return _FILLS[0]


def _version_entries(tx: Tx, lst: ListHead, version: int) -> tuple[str, _Version]:
    """A version's entries with their origins, parsed once per process."""
    repos = repositories_of(tx)
    digest = repos.list_versions.content_hash(tx, lst.id, version) or ""
    key = (lst.id, version, digest)
    bind = repos.list_entries.scope(tx)
    with _CACHE_LOCK:
        found = _CACHE.setdefault(bind, OrderedDict()).get(key)
    if found is not None:
        return digest, found
    rows = entry_rows_at(tx, lst, version)
    origins = origins_of(tx, rows)
    value = tuple((entry_from_data(r.data), origins.get(r.key, {})) for r in rows)
    with _CACHE_LOCK:
        cached = _CACHE.setdefault(bind, OrderedDict())
        cached[key] = value
        _FILLS[0] += 1
        while len(cached) > CACHED_VERSIONS:
            cached.popitem(last=False)
    return digest, value


def clear_cache() -> None:
    """Forget every parsed version (for a store changed behind the services' back)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _SHOWN.clear()


def reader_class(actor: Actor) -> tuple[str, str, str]:
    """What the policy decides on: role, agency, clearance. Two readers of one class see the
    same things, so a redacted view may be kept for the class."""
    return (actor.role.value, actor.agency, clearance_of(actor))


_SHOWN: WeakKeyDictionary[Any, OrderedDict[tuple[Any, ...], tuple[ShownEntry, ...]]] = (
    WeakKeyDictionary())


def shown_entries(tx: Tx, actor: Actor, lst: ListHead, version: int,
                  op: Op = Op.READ) -> list[ShownEntry]:
    """The entries of ``version`` the reader may see, redacted, sorted by key (kept per reader
    class and version: both the version and the policy's answer for the class are fixed)."""
    digest, entries = _version_entries(tx, lst, version)
    key = (lst.id, version, digest, reader_class(actor), op.value)
    bind = repositories_of(tx).list_entries.scope(tx)
    with _CACHE_LOCK:
        found = _SHOWN.setdefault(bind, OrderedDict()).get(key)
    if found is not None:
        return list(found)
    by_key = {e.key: e for e, _ in entries}
    items = [entry_item(e, origin, lst.name) for e, origin in entries]
    shown = tuple(ShownEntry(_blank_withheld(by_key[str(item["id"])], item), item)
                  for item in redact_many(actor, Kind.LIST_ENTRY, items, op=op))
    with _CACHE_LOCK:
        cached = _SHOWN.setdefault(bind, OrderedDict())
        cached[key] = shown
        _FILLS[0] += 1
        while len(cached) > CACHED_VERSIONS * 4:
            cached.popitem(last=False)
    return list(shown)


def visible_keys(tx: Tx, actor: Actor, lst: ListHead, version: int,
                 op: Op = Op.READ) -> dict[str, ShownEntry]:
    """``{entry key: shown entry}`` of a version for a reader; empty for a draft the reader may
    not read (a role that reads released lists only)."""
    if actor.role in RELEASED_ONLY and version not in released_versions(tx, lst):
        return {}
    return {s.entry.key: s for s in shown_entries(tx, actor, lst, version, op)}


def _blank_withheld(entry: Entry, shown: Mapping[str, Any]) -> Entry:
    blank: dict[str, Any] = {f: "" for f in _NAMES if f not in shown}
    if "facts" not in shown:
        kept = TRANSPORT_FACTS + (IDENTITY_FACTS if "family_name" in shown else ())
        blank["facts"] = {k: v for k, v in entry.facts.items() if k in kept}
    return replace(entry, **blank) if blank else entry
