"""The source records a list entry was drawn from, as far as the reader may open them.

A list page links each entry to its person and to its records (issue 12), so that a coordinator
can check what an entry says against what the register said. The entry's own gate is the most
restrictive of its sources, but a record link is a separate way in: each record is checked on
its own (read permission, clearance, intelligence need-to-know), and one the reader may not open
is left out without a trace — no link, no count, no "more withheld".
"""

from __future__ import annotations

from collections.abc import Collection

from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind, may_see
from parley.services.list_access import (
    readable_version,
    record_origins,
    sources_of,
    visible_keys,
)
from parley.services.list_store import list_row
from parley.services.workspace import Workspace


def entry_records(ws: Workspace, *, actor: Actor, name: str, keys: Collection[str],
                  version: int | None = None) -> dict[str, tuple[int, ...]]:
    """``{entry key: record ids}`` for the given entries of a version (default: the newest the
    reader reads) that the reader sees; only records the reader may open, oldest first.
    Entries stored before their origin was kept give their person's oldest record, which is
    what they were named from."""
    if not keys or not actor.may(Action.READ_RECORD) or not actor.may(Action.READ_LISTS):
        return {}
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        v = readable_version(tx, actor, lst, version)
        seen = visible_keys(tx, actor, lst, v)
        sources = sources_of(tx, ws.repos.list_entries.of_keys(
            tx, lst.id, v, [k for k in keys if k in seen]))
        origins = record_origins(tx, {i for ids in sources.values() for i in ids})
    return {key: tuple(sorted(i for i in ids
                              if i in origins and may_see(actor, Kind.SOURCE_RECORD, origins[i])))
            for key, ids in sources.items()}
