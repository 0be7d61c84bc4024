"""Reading exchange lists, plans and list exports, as one reader may see them.

Every function here returns what the reader may know and nothing more: the entries pass the one
redaction point (``parley.services.access`` via ``parley.services.list_access``), and counts,
summaries, plan rows and exports are computed from what passed, so a withheld entry is reported
exactly like an entry that is not there.
"""

from __future__ import annotations

import io
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from parley.adapters.files.csv_export import export_writer
from parley.domain.actors import Action, Actor
from parley.domain.lists import Entry, EntryChange, diff
from parley.domain.plan import Assignment
from parley.domain.policy import RELEASED_ONLY, Op
from parley.errors import N_, NotFound
from parley.services.access import WITHHELD
from parley.services.journal import record_event
from parley.services.list_access import (
    ShownEntry,
    note_filled,
    readable_version,
    reader_class,
    released_versions,
    shown_entries,
    visible_keys,
)
from parley.services.list_store import list_row, version_row
from parley.services.ports import Tx, repositories_of
from parley.services.ports.lists import ListHead
from parley.services.ports.plans import PlanRow
from parley.services.workspace import Workspace

PAGE_SIZE = 200
"""Rows per page of a list or plan: pages never render a whole list."""


@dataclass(frozen=True, slots=True)
class ListSummary:
    id: int
    name: str
    direction: str
    version: int
    content_hash: str
    author: str
    released: bool
    required_agencies: tuple[str, ...]
    statuses: Mapping[str, int]
    entries: int


@dataclass(frozen=True, slots=True)
class VersionInfo:
    version: int
    content_hash: str
    author: str
    author_agency: str
    note: str
    entries: int
    created_at: str
    released_at: str | None


def summary_for(tx: Tx, actor: Actor, lst: ListHead,
                shown: Sequence[ShownEntry] | None = None) -> ListSummary:
    """The list's summary at the version the reader reads, counted over what they may see."""
    v = readable_version(tx, actor, lst)
    entries = shown if shown is not None else shown_entries(tx, actor, lst, v)
    version = version_row(tx, lst, v) if v else None
    return ListSummary(
        id=lst.id, name=lst.name, direction=lst.direction, version=v,
        content_hash=version.content_hash if version else "",
        author=version.author if version else lst.created_by,
        released=bool(version and version.released_at),
        required_agencies=tuple(lst.required_agencies),
        statuses=dict(Counter(s.entry.status.value for s in entries)), entries=len(entries),
    )


def list_summaries(ws: Workspace, *, actor: Actor) -> list[ListSummary]:
    actor.require(Action.READ_LISTS)
    out: list[ListSummary] = []
    with ws.store.reading() as tx:
        for lst in ws.repos.lists.ordered(tx):
            try:
                out.append(summary_for(tx, actor, lst))
            except NotFound:
                continue  # a draft the reader reads only once released
        return out


def list_summary(ws: Workspace, *, actor: Actor, name: str) -> ListSummary:
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        return summary_for(tx, actor, list_row(tx, name))


def list_entries(ws: Workspace, *, actor: Actor, name: str, version: int | None = None,
                 op: Op = Op.READ) -> list[Entry]:
    """The entries of a version (default: the newest the reader may read) the reader may see."""
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        v = readable_version(tx, actor, lst, version)
        return [s.entry for s in shown_entries(tx, actor, lst, v, op)]


@dataclass(frozen=True, slots=True)
class EntriesPage:
    """One page of a list: the summary, the shown items of this page, and how to get more."""

    summary: ListSummary
    items: tuple[dict[str, Any], ...]
    total: int  # entries matching the filter
    page: int
    pages: int
    status: str
    query: str
    sort: str


SORTS = {"key": lambda s: s.entry.key,
         "name": lambda s: (s.entry.display_name.casefold(), s.entry.key),
         "status": lambda s: (s.entry.status.value, s.entry.key),
         "category": lambda s: (s.entry.category, s.entry.key)}


def entries_page(ws: Workspace, *, actor: Actor, name: str, page: int = 1,
                 status: str = "", query: str = "", sort: str = "key",
                 per_page: int = PAGE_SIZE) -> EntriesPage:
    """A page of a list's visible entries, filtered by status and a name or key fragment."""
    actor.require(Action.READ_LISTS)
    per_page = max(1, min(per_page, PAGE_SIZE))
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        shown = shown_entries(tx, actor, lst, readable_version(tx, actor, lst))
        summary = summary_for(tx, actor, lst, shown)
    needle = query.strip().casefold()
    chosen = [s for s in shown if (not status or s.entry.status.value == status) and (
        not needle or needle in s.entry.key.casefold()
        or needle in s.entry.display_name.casefold())]
    chosen.sort(key=SORTS.get(sort, SORTS["key"]))
    pages = max(1, -(-len(chosen) // per_page))
    page = min(max(1, page), pages)
    items = tuple(_with_readiness(s) for s in chosen[(page - 1) * per_page: page * per_page])
    return EntriesPage(summary=summary, items=items, total=len(chosen), page=page, pages=pages,
                       status=status, query=query, sort=sort if sort in SORTS else "key")


def _with_readiness(shown: ShownEntry) -> dict[str, Any]:
    """The item with the entry's readiness (identity verified, fit to travel, will recorded),
    which the policy groups with the entry's workflow content (``held_back``, ``confirmed``): a
    reader from whom that is withheld gets no readiness either."""
    if "held_back" not in shown.item:
        return shown.item
    r = shown.entry.readiness
    return {**shown.item, "readiness": {"identity_verified": r.identity_verified,
                                        "medical_fit": r.medical_fit,
                                        "will_recorded": r.will_recorded}}


def list_versions(ws: Workspace, *, actor: Actor, name: str) -> list[VersionInfo]:
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        readable_version(tx, actor, lst)
        released = set(released_versions(tx, lst)) if actor.role in RELEASED_ONLY else None
        rows = ws.repos.list_versions.of_list(tx, lst.id)
        return [VersionInfo(
            version=r.version, content_hash=r.content_hash, author=r.author,
            author_agency=r.author_agency, note=r.note,
            entries=len(shown_entries(tx, actor, lst, r.version)),
            created_at=r.created_at.isoformat(timespec="seconds"),
            released_at=r.released_at.isoformat(timespec="seconds") if r.released_at else None,
        ) for r in rows if released is None or r.version in released]


def diff_versions(ws: Workspace, *, actor: Actor, name: str, before: int,
                  after: int) -> list[EntryChange]:
    """Entry-by-entry, field-by-field differences between any two versions the reader reads."""
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        old, new = (shown_entries(tx, actor, lst, readable_version(tx, actor, lst, v))
                    for v in (before, after))
        return diff([s.entry for s in old], [s.entry for s in new])


# ---------------------------------------------------------------------------- export

BUNDLE_COLUMNS = ("record_id", "family_name", "given_name", "patronymic", "birth_date",
                  "category", "seriously_wounded", "age_group", "status")


def list_csv(entries: Iterable[Entry]) -> str:
    """The list as the mediator receives it: identity, category, status — no intelligence."""
    out = io.StringIO()
    writer = export_writer(out, lineterminator="\n")
    writer.writerow(BUNDLE_COLUMNS)
    for e in entries:
        writer.writerow([e.key, e.family_name, e.given_name, e.patronymic, e.birth_date,
                         e.category, "true" if e.seriously_wounded else "false", e.age_group,
                         e.status.value])
    return out.getvalue()


def export_list_csv(ws: Workspace, *, actor: Actor, name: str,
                    version: int | None = None) -> str:
    """The entries the reader may export, as CSV; the export is audited."""
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        lst = list_row(tx, name)
        v = readable_version(tx, actor, lst, version)
        entries = [s.entry for s in shown_entries(tx, actor, lst, v, Op.EXPORT)]
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="list.export.csv", target=f"list:{name}",
                     payload={"version": v, "entries": len(entries)})
    return list_csv(entries)


# ---------------------------------------------------------------------------- plans

@dataclass(frozen=True, slots=True)
class PlanPerson:
    """The name (empty when withheld) and person of one plan row's entry."""

    name: str
    person_id: int | None


@dataclass(frozen=True, slots=True)
class StoredPlan:
    id: int
    give_list: str
    receive_list: str
    stages: int
    max_per_stage: int | None
    category_parity: bool
    status: str
    mip_gap: float
    exchanged: int
    created_at: str
    assignments: tuple[Assignment, ...]
    substitutions: tuple[Mapping[str, Any], ...]
    people: Mapping[tuple[str, str], PlanPerson] = field(default_factory=dict)
    """``(side, entry key)`` → who that row is, as the reader may see it: plan rows are read
    by name, not by a record id."""

    def counts(self) -> dict[tuple[int, str, str], int]:
        out: Counter[tuple[int, str, str]] = Counter()
        for a in self.assignments:
            if a.stage is not None:
                out[(a.stage, a.category, a.side)] += 1
        return dict(out)


_TOKEN = re.compile(r"[^\s,;:()'\"]+")


def _others_named(text: str, keys: Iterable[str], own: str) -> set[str]:
    known = set(keys)
    return {t for t in _TOKEN.findall(text) if t in known and t != own}


def plan_record(tx: Tx, plan: PlanRow, actor: Actor | None) -> StoredPlan:
    """A stored plan as ``actor`` may see it (``None``: whole, for the services that change
    it): rows of entries the reader may not see are left out (and the counts with them); a
    reason, which quotes the facts of the entry and of the one ranked ahead, is kept only where
    the reader may see the facts of both."""
    repos = repositories_of(tx)
    count, newest = repos.exchange_plans.substitution_stamp(tx, plan.id)
    key = (plan.id, plan.created_at, count, newest,
           None if actor is None else reader_class(actor))
    bind = repos.list_entries.scope(tx)
    with _PLANS_LOCK:
        found = _PLANS.setdefault(bind, OrderedDict()).get(key)
    if found is not None:
        return found
    result = _plan_record(tx, plan, actor)
    with _PLANS_LOCK:
        cached = _PLANS.setdefault(bind, OrderedDict())
        cached[key] = result
        while len(cached) > 32:
            cached.popitem(last=False)
    note_filled()
    return result


_PLANS: WeakKeyDictionary[Any, OrderedDict[tuple[Any, ...], StoredPlan]] = WeakKeyDictionary()
_PLANS_LOCK = Lock()
"""Plans as each reader class sees them. A plan changes only by a substitution (which adds a
row), so the number and newest id of its substitutions date a kept view."""


def _plan_record(tx: Tx, plan: PlanRow, actor: Actor | None) -> StoredPlan:
    repos = repositories_of(tx)
    rows = repos.exchange_plans.assignments(tx, plan.id)
    if actor is None:
        return _stored(tx, plan, rows, None, plan.exchanged)
    visible: dict[str, dict[str, ShownEntry]] = {}
    for side, name, version in (("give", plan.give_list, plan.give_version),
                                ("receive", plan.receive_list, plan.receive_version)):
        lst = repos.lists.named(tx, name)
        visible[side] = ({} if lst is None or version > lst.version
                         else visible_keys(tx, actor, lst, version))
    everyone = {side: {a.record_id for a in rows if a.side == side} for side in visible}

    def detail(side: str, key: str) -> bool:
        shown = visible[side].get(key)
        return shown is not None and "facts" in shown.item

    kept: list[Assignment] = []
    for a in rows:
        if a.record_id not in visible[a.side]:
            continue
        named = _others_named(a.reason, everyone[a.side], a.record_id)
        ok = detail(a.side, a.record_id) and all(detail(a.side, k) for k in named)
        kept.append(a if ok else replace(a, reason=""))
    scheduled = Counter(a.side for a in kept if a.stage is not None)
    exchanged = (plan.exchanged if len(kept) == len(rows)
                 else max(scheduled.values(), default=0))
    return _stored(tx, plan, kept, visible, exchanged)


def _stored(tx: Tx, plan: PlanRow, rows: Sequence[Assignment],
            visible: Mapping[str, Mapping[str, object]] | None, exchanged: int) -> StoredPlan:
    subs = repositories_of(tx).exchange_plans.substitutions(tx, plan.id)
    substitutions = tuple(
        {"dropped": s.dropped, "side": s.side, "stage": s.stage, "replacement": s.replacement,
         "reduced": s.reduced, "reason": s.reason, "actor": s.actor}
        for s in subs if visible is None or (
            s.dropped in visible.get(s.side, {})
            and (s.replacement is None or s.replacement in visible.get(s.side, {}))))
    return StoredPlan(
        id=plan.id, give_list=plan.give_list, receive_list=plan.receive_list,
        stages=plan.stages, max_per_stage=plan.max_per_stage,
        category_parity=plan.category_parity, status=plan.status, mip_gap=plan.mip_gap,
        exchanged=exchanged, created_at=plan.created_at.isoformat(timespec="seconds"),
        assignments=tuple(rows), substitutions=substitutions,
        people=_people(visible) if visible is not None else {},
    )


def _people(visible: Mapping[str, Mapping[str, object]]) -> dict[tuple[str, str], PlanPerson]:
    """Each visible entry's name and person, taken from its redacted item (so a withheld
    name stays withheld on the plan too)."""
    out: dict[tuple[str, str], PlanPerson] = {}
    for side, shown in visible.items():
        for key, entry in shown.items():
            item = entry.item if isinstance(entry, ShownEntry) else {}
            hidden = item.get(WITHHELD, ())
            name = "" if "display_name" in hidden else str(item.get("display_name") or "")
            person = None if "person_id" in hidden else item.get("person_id")
            out[(side, key)] = PlanPerson(name, int(person) if person is not None else None)
    return out


def _plan_readable(tx: Tx, actor: Actor, plan: PlanRow) -> bool:
    if actor.role not in RELEASED_ONLY:
        return True
    for name, version in ((plan.give_list, plan.give_version),
                          (plan.receive_list, plan.receive_version)):
        lst = repositories_of(tx).lists.named(tx, name)
        if lst is None or version not in released_versions(tx, lst):
            return False
    return True


def stored_plan(ws: Workspace, *, actor: Actor, plan_id: int | None = None) -> StoredPlan:
    """A stored plan (default: the newest the reader may read), as the reader may see it."""
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        repo = ws.repos.exchange_plans
        if plan_id is None:
            plans = repo.newest_first(tx)
        else:
            one = repo.get(tx, plan_id)
            plans = [one] if one is not None else []
        for plan in plans:
            if _plan_readable(tx, actor, plan):
                return plan_record(tx, plan, actor)
        if plan_id is None:
            raise NotFound(N_("no plan"))
        raise NotFound(N_("no plan %(id)s"), id=plan_id)
