"""Deriving persons from stored links and judgements.

``recluster`` works on the records around some seeds (a run's new links, a reviewer's pair) and
runs inside the caller's transaction; ``resolve_identities`` and the review service call it. The
rules themselves are pure and live in ``parley.domain.identity``; what hangs on a person once it
is known (evidence, name, status, verification, conflicts) is ``person_summary``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from parley.domain.actors import Actor
from parley.domain.identity import assign_person_ids, cluster_records
from parley.progress import no_progress
from parley.services.interrupts import StopSignal
from parley.services.person_summary import EVIDENCE_FIELDS, refresh_persons
from parley.services.ports import Tx
from parley.services.ports.resolution import ResolutionRepository

__all__ = [
    "EVIDENCE_FIELDS",
    "Progress",
    "chunks",
    "recluster",
]

_CHUNK = 500
# Record moves written per statement batch; also how often a Ctrl-C is looked at while writing.
_MOVES = 20_000

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with a known total: every ``parley.progress.Progress`` is one
(and so are callers' older three-int callbacks)."""


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _scope(tx: Tx, repo: ResolutionRepository, seeds: set[int] | None,
           stop: StopSignal) -> list[int]:
    """The records whose person may change: the seeds, everything in their persons, and what
    links or positive judgements join to those, until nothing new is added."""
    if seeds is None:
        return repo.all_record_ids(tx)
    scope: set[int] = set()
    frontier = set(seeds)
    while frontier:
        stop.check("finding the records a run touches")
        scope |= frontier
        frontier = repo.neighbours(tx, sorted(frontier)) - scope
    return sorted(scope)


def recluster(
    tx: Tx,
    *,
    repo: ResolutionRepository,
    actor: Actor,
    seeds: set[int] | None,
    run_id: int | None = None,
    progress: Progress | None = None,
    stop: StopSignal | None = None,
) -> dict[str, int]:
    """Re-derive persons for the records around ``seeds`` (all records if ``None``) from stored
    links and judgements, then refresh evidence, conflicts and verification for every person
    touched. Runs in the caller's transaction; the caller records the audit event. A requested
    ``stop`` raises ``Interrupted`` between chunks, and the caller's transaction rolls back."""
    report = progress or no_progress
    halt = stop or StopSignal()
    ids = _scope(tx, repo, seeds, halt)
    halt.check("clustering")
    report("clustering", 0, len(ids))
    places = repo.places(tx, ids)
    links = repo.strong_links(tx, None if seeds is None else ids)
    judgements = repo.judgements(tx, None if seeds is None else ids)
    inside = {str(i) for i in ids}
    judgements = [j for j in judgements if j.left in inside and j.right in inside]
    dup_free = repo.duplicate_free_sources(tx)
    result = cluster_records(
        (str(i) for i in ids), links, judgements,
        source_of={str(i): str(p.source_id) for i, p in places.items()},
        duplicate_free=dup_free,
    )
    del links, judgements, inside
    assigned, redirects = assign_person_ids(
        result.clusters, {str(i): p.person_id for i, p in places.items()})
    report("clustering", len(ids), len(ids))
    halt.check("clustering")

    new_keys = [k for k, pid in assigned.items() if pid is None]
    for key, pid in zip(new_keys, repo.create_persons(tx, len(new_keys)), strict=True):
        assigned[key] = pid
    for old, new in redirects.items():
        repo.redirect_person(tx, old, new)
    # A person that comes back to life after a split is no longer redirected.
    repo.drop_redirects(tx, [pid for pid in assigned.values() if pid is not None])

    person_of: dict[int, int] = {}
    for key, members in result.clusters.items():
        owner = assigned[key]
        assert owner is not None
        for m in members:
            person_of[int(m)] = owner
    moved = [(rid, pid) for rid, pid in person_of.items() if places[rid].person_id != pid]
    for n, part in enumerate(chunks(moved, _MOVES), start=1):
        halt.check("assigning persons")
        repo.move_records(tx, part)
        report("assigning persons", min(n * _MOVES, len(moved)), len(moved))
    # Evidence follows its record; only records resolved before can have evidence already.
    repo.move_evidence(tx, [(rid, pid) for rid, pid in moved
                            if places[rid].person_id is not None])
    repo.flush(tx)

    touched, raised = refresh_persons(tx, repo, person_of=person_of, result=result,
                                      places=places, duplicate_free=dup_free, run_id=run_id,
                                      progress=report, stop=halt)
    repo.flush(tx)
    return {"persons_touched": touched, "conflicts_raised": raised,
            "records_moved": len(moved), "redirects": len(redirects)}
