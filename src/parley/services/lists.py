"""Exchange-list use cases: create, add entries, change status and readiness, versions, diffs,
priority rules, and planning on the workspace's lists.

Every change makes a new list version in one transaction with its audit event; nothing is ever
overwritten, so any two versions can be read back and compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from parley.domain.actors import Action, Actor
from parley.domain.agreement import StageAgreement
from parley.domain.dates import parse_partial_date
from parley.domain.lists import (
    PLANNABLE,
    Direction,
    Entry,
    Readiness,
    Status,
    age_group,
    list_hash,
    transition,
)
from parley.domain.plan import Candidate, PlanResult, Side, substitute
from parley.domain.policy import Kind, may_see
from parley.domain.priority import DEFAULT_RULES, PriorityRule, rules_from_data, rules_to_data
from parley.errors import N_, Conflict, InvalidInput, NotFound
from parley.services.journal import record_event
from parley.services.list_access import visible_keys
from parley.services.list_files import read_entries_csv
from parley.services.list_store import ORIGIN, entry_from_data
from parley.services.list_store import entries_at as _entries_at
from parley.services.list_store import list_row as _list_row
from parley.services.list_views import (
    ListSummary,
    StoredPlan,
    VersionInfo,
    diff_versions,
    entries_page,
    export_list_csv,
    list_entries,
    list_summaries,
    list_summary,
    list_versions,
    plan_record,
    stored_plan,
    summary_for,
)
from parley.services.planning import plan_exchange
from parley.services.ports import Tx, repositories_of
from parley.services.ports.lists import DrawnPerson, DrawnRecord, ListHead, StoredEntry
from parley.services.workspace import Workspace

__all__ = ["DEFAULT_SIGNOFF_AGENCIES", "HELD_STATUSES", "ListSummary", "StoredPlan",
           "VersionInfo", "add_entries", "add_from_registry", "create_list", "diff_versions",
           "entries_page", "entry_from_data", "export_list_csv", "list_entries",
           "list_summaries", "list_summary", "list_versions", "plan_lists", "priority_rules",
           "read_entries_csv", "set_priority_rules", "stored_plan", "substitute_in_stored_plan",
           "update_entries", "update_entry"]

DEFAULT_SIGNOFF_AGENCIES: tuple[str, ...] = ("MOD", "SSU", "OMB")
"""Agencies whose approval a list version needs before release, unless the list says otherwise:
defence (who holds the military records), the security service (who vets), the ombudsman."""

RULES_NAME = "default"


def _write_version(
    tx: Tx, lst: ListHead, *, actor: Actor, changed: Sequence[Entry], note: str,
    action: str, origins: Mapping[str, Sequence[int]] | None = None,
) -> ListHead:
    """Close the replaced rows, insert the new ones, hash the whole new version, audit it;
    the list as it stands now.

    Each stored entry keeps its origin (the records it was drawn from) beside it, outside the
    content hash: given in ``origins`` for new entries, carried over from the replaced row."""
    repos = repositories_of(tx)
    current = {e.key: e for e in _entries_at(tx, lst)}
    new_version = lst.version + 1
    keys = [e.key for e in changed]
    kept = repos.list_entries.close(tx, lst.id, keys, new_version)
    rows: list[StoredEntry] = []
    for entry in changed:
        current[entry.key] = entry
        data = entry.as_data()
        if origins is not None and entry.key in origins:
            data[ORIGIN] = {"records": sorted(int(i) for i in origins[entry.key])}
        elif entry.key in kept:
            data[ORIGIN] = kept[entry.key]
        rows.append(StoredEntry(entry.key, entry.person_id, data))
    repos.list_entries.add(tx, lst.id, new_version, rows)
    digest = list_hash(lst.name, lst.direction, current.values())
    repos.list_versions.append(tx, list_id=lst.id, version=new_version, content_hash=digest,
                               author=actor.username, author_agency=actor.agency, note=note,
                               entry_count=len(current))
    record_event(tx, actor=actor, action=action, target=f"list:{lst.name}", payload={
        "version": new_version, "content_hash": digest, "note": note,
        "entries_changed": len(changed), "keys": keys[:50],
    })
    return replace(lst, version=new_version)


def create_list(
    ws: Workspace, *, actor: Actor, name: str, direction: str,
    required_agencies: Sequence[str] = DEFAULT_SIGNOFF_AGENCIES,
) -> ListSummary:
    """A new, empty list (version 0) and the agencies that must approve it before release."""
    actor.require(Action.MANAGE_LISTS)
    try:
        the_direction = Direction(direction)
    except ValueError:
        raise InvalidInput(N_("direction must be 'receive' or 'give', not '%(direction)s'"),
                           direction=direction) from None
    if not name.strip():
        raise InvalidInput(N_("a list needs a name"))
    codes = list(dict.fromkeys(required_agencies))
    with ws.store.transaction() as tx:
        known = set(ws.repos.agencies.codes(tx))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvalidInput(N_("unknown agency code(s) for sign-off: %(codes)s"),
                               codes=", ".join(unknown))
        if ws.repos.lists.named(tx, name) is not None:
            raise Conflict(N_("a list named '%(name)s' exists already"), name=name)
        lst = ws.repos.lists.add(tx, name=name, direction=the_direction.value,
                                 required_agencies=codes, created_by=actor.username)
        record_event(tx, actor=actor, action="list.create", target=f"list:{name}",
                     payload={"direction": the_direction.value, "required_agencies": codes})
        return summary_for(tx, actor, lst)


def add_entries(
    ws: Workspace, *, actor: Actor, name: str, entries: Sequence[Entry], note: str = ""
) -> ListSummary:
    """Add people to a list as one new version; a key already on the list is a conflict."""
    actor.require(Action.MANAGE_LISTS)
    keys = [e.key for e in entries]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    if dupes:
        raise InvalidInput(N_("the same entry twice: %(keys)s"), keys=", ".join(dupes[:5]))
    with ws.store.transaction() as tx:
        lst = _list_row(tx, name)
        present = {e.key for e in _entries_at(tx, lst)}
        clash = [k for k in keys if k in present]
        if clash:
            raise Conflict(N_("already on list '%(name)s': %(keys)s"), name=name,
                           keys=", ".join(clash[:5]))
        if entries:
            persons = [e.person_id for e in entries if e.person_id is not None]
            if persons:
                found = ws.repos.list_sources.existing_persons(tx, persons)
                missing = [p for p in persons if p not in found]
                if missing:
                    raise NotFound(N_("no person %(person_id)s in the registry"),
                                   person_id=missing[0])
        lst = _write_version(tx, lst, actor=actor, changed=entries,
                             note=note or f"added {len(entries)}", action="list.add",
                             origins={e.key: () for e in entries})
        return summary_for(tx, actor, lst)


HELD_STATUSES = ("captured", "held", "convicted")


def _restriction(record: DrawnRecord) -> tuple[bool, int, int]:
    from parley.domain.policy import is_intelligence, level

    return (is_intelligence(record.agency_code), level(record.classification or ""), record.id)


def add_from_registry(
    ws: Workspace, *, actor: Actor, name: str, statuses: Sequence[str] = HELD_STATUSES,
    limit: int | None = None, today: date | None = None,
) -> ListSummary:
    """Draw entries from the registry: every resolved person whose status is one of ``statuses``
    and who is not on the list yet (key ``P<person id>``), named from the least restricted of
    their records the drawing actor may see (so the entry reaches as many readers as its
    sources allow); the entry keeps that record as its origin, and is shown to a reader only
    as far as the reader may see it. Identity counts as verified when resolution verified the
    person."""
    actor.require(Action.MANAGE_LISTS)
    on = today or date.today()
    with ws.store.transaction() as tx:
        lst = _list_row(tx, name)
        present = {e.person_id for e in _entries_at(tx, lst) if e.person_id is not None}
        sources = ws.repos.list_sources
        persons = [p for p in sources.persons_with_status(tx, statuses) if p.id not in present]
        records = sources.records_of_persons(tx, [p.id for p in persons])
        new: list[Entry] = []
        origins: dict[str, tuple[int, ...]] = {}
        for person in persons:
            seen = [r for r in records.get(person.id, []) if may_see(actor, Kind.SOURCE_RECORD, {
                "agency_code": r.agency_code, "classification": r.classification})]
            if not seen:
                continue
            record = min(seen, key=_restriction)
            new.append(_drawn_entry(person, record, on))
            origins[new[-1].key] = (record.id,)
            if limit is not None and len(new) >= limit:
                break
        if new:
            lst = _write_version(tx, lst, actor=actor, changed=new,
                                 note=f"drew {len(new)} from the registry "
                                      f"({', '.join(statuses)})", action="list.add",
                                 origins=origins)
        return summary_for(tx, actor, lst)


def _drawn_entry(person: DrawnPerson, record: DrawnRecord, on: date) -> Entry:
    birth = None
    try:
        parsed = parse_partial_date(record.birth_date)
        birth = parsed.to_date() if parsed else None
    except ValueError:
        birth = None
    military = bool(record.rank or record.service_number or record.military_unit)
    facts = {k: v for k, v in (("captivity_start", record.capture_date),
                               ("service_number", record.service_number),
                               ("rank", record.rank), ("sex", record.sex),
                               ("military_unit", record.military_unit)) if v}
    if record.capture_date[:4].isdigit() and int(record.capture_date[:4]) <= 2014:
        facts["held_since_2014"] = "true"
    # The stored display name may come from any of the person's records: the entry is named
    # from its origin record only.
    return Entry(
        key=f"P{person.id}", display_name=" ".join(
            n for n in (record.family_name, record.given_name, record.patronymic) if n),
        family_name=record.family_name, given_name=record.given_name,
        patronymic=record.patronymic, birth_date=record.birth_date,
        person_id=person.id, category="military" if military else "civilian",
        age_group=age_group(birth, on), facts=facts,
        readiness=Readiness(identity_verified=person.verified),
    )


def update_entry(
    ws: Workspace, *, actor: Actor, name: str, key: str, status: str | None = None,
    reason: str = "", readiness: Mapping[str, bool] | None = None,
    staff_categories: Sequence[str] | None = None, seriously_wounded: bool | None = None,
    facts: Mapping[str, str] | None = None,
) -> ListSummary:
    """Change one entry (status along the workflow, readiness, categories, facts): one version."""
    return update_entries(ws, actor=actor, name=name, keys=[key], status=status, reason=reason,
                          readiness=readiness, staff_categories=staff_categories,
                          seriously_wounded=seriously_wounded, facts=facts)


def _changed_entry(
    entry: Entry, *, status: str | None, reason: str, readiness: Mapping[str, bool] | None,
    staff_categories: Sequence[str] | None, seriously_wounded: bool | None,
    facts: Mapping[str, str] | None,
) -> Entry:
    if readiness:
        unknown = set(readiness) - {"identity_verified", "medical_fit", "will_recorded"}
        if unknown:
            raise InvalidInput(N_("unknown readiness item(s): %(items)s"),
                             items=", ".join(sorted(unknown)))
        entry = replace(entry, readiness=replace(entry.readiness, **readiness))
    if staff_categories is not None:
        entry = replace(entry, staff_categories=tuple(sorted(set(staff_categories))))
    if seriously_wounded is not None:
        entry = replace(entry, seriously_wounded=seriously_wounded)
    if facts:
        entry = replace(entry, facts={**entry.facts, **facts})
    if status is not None:
        try:
            target = Status(status)
        except ValueError:
            allowed = ", ".join(s.value for s in Status)
            raise InvalidInput(N_("unknown status '%(status)s' (one of %(allowed)s)"),
                               status=status, allowed=allowed) from None
        entry = transition(entry, target, reason=reason)
    return entry


def update_entries(
    ws: Workspace, *, actor: Actor, name: str, keys: Sequence[str], status: str | None = None,
    reason: str = "", readiness: Mapping[str, bool] | None = None,
    staff_categories: Sequence[str] | None = None, seriously_wounded: bool | None = None,
    facts: Mapping[str, str] | None = None,
) -> ListSummary:
    """The same change to several entries (e.g. the other side confirmed a batch): one version,
    all or nothing — one entry that may not make the transition refuses the whole batch."""
    actor.require(Action.MANAGE_LISTS)
    with ws.store.transaction() as tx:
        lst = _list_row(tx, name)
        current = {e.key: e for e in _entries_at(tx, lst)}
        missing = [k for k in keys if k not in current]
        if missing:
            raise NotFound(N_("no entry '%(key)s' on list '%(name)s'"), key=missing[0], name=name)
        changed = []
        for key in dict.fromkeys(keys):
            entry = _changed_entry(
                current[key], status=status, reason=reason, readiness=readiness,
                staff_categories=staff_categories, seriously_wounded=seriously_wounded,
                facts=facts,
            )
            if entry != current[key]:
                changed.append(entry)
        if not changed:
            return summary_for(tx, actor, lst)
        if len(changed) == 1:
            key = changed[0].key
            what = (f"{key}: {current[key].status.value} → {changed[0].status.value}"
                    if status else key)
        else:
            what = f"{len(changed)} entries" + (f" → {status}" if status else "")
        lst = _write_version(tx, lst, actor=actor, changed=changed, note=f"changed {what}",
                             action="list.update")
        return summary_for(tx, actor, lst)


# ---------------------------------------------------------------------------- priority rules

def priority_rules(ws: Workspace) -> tuple[PriorityRule, ...]:
    """The rule set in force: the newest stored version, else the built-in rules."""
    with ws.store.reading() as tx:
        stored = ws.repos.priority_rules.newest(tx, RULES_NAME)
        return rules_from_data(stored) if stored is not None else DEFAULT_RULES


def set_priority_rules(ws: Workspace, *, actor: Actor, rules: Sequence[PriorityRule]) -> None:
    """Store a new version of the rule set (the old ones stay, for the record)."""
    actor.require(Action.PLAN)
    data = rules_to_data(rules)
    with ws.store.transaction() as tx:
        ws.repos.priority_rules.add(tx, name=RULES_NAME, rules=data, created_by=actor.username)
        record_event(tx, actor=actor, action="priority.rules", target=f"rules:{RULES_NAME}",
                     payload={"rules": data})


# ---------------------------------------------------------------------------- planning

def _candidate(entry: Entry) -> Candidate:
    def as_date(text: str) -> date | None:
        try:
            parsed = parse_partial_date(text)
        except ValueError:
            return None
        return parsed.to_date() if parsed else None

    return Candidate(
        record_id=entry.key, category=entry.category, seriously_wounded=entry.seriously_wounded,
        captivity_start=as_date(entry.facts.get("captivity_start", "")),
        birth_date=as_date(entry.birth_date), confirmed=entry.status in PLANNABLE,
        extras={**entry.facts, "age_group": entry.age_group,
                **{f"staff:{c}": "true" for c in entry.staff_categories}},
    )


def plan_lists(
    ws: Workspace, *, actor: Actor, give: str, receive: str, stages: int,
    max_per_stage: int | None = None, category_parity: bool = False,
    total: int | None = None, agreement: StageAgreement | None = None,
) -> tuple[int, PlanResult]:
    """Plan the workspace's two lists (entries confirmed by the other side) and store the plan."""
    actor.require(Action.PLAN)
    rules = priority_rules(ws)
    with ws.store.reading() as tx:
        give_list, receive_list = _list_row(tx, give), _list_row(tx, receive)
        if give_list.direction != "give" or receive_list.direction != "receive":
            raise InvalidInput(N_("--give-list must be a 'give' list and --receive-list a "
                                  "'receive' list (%(give)s: %(give_direction)s, "
                                  "%(receive)s: %(receive_direction)s)"),
                               give=give, give_direction=give_list.direction,
                               receive=receive, receive_direction=receive_list.direction)
        cands: dict[Side, list[Candidate]] = {
            "give": [_candidate(e) for e in _entries_at(tx, give_list)],
            "receive": [_candidate(e) for e in _entries_at(tx, receive_list)],
        }
        versions = (give_list.version, receive_list.version)
    result = plan_exchange(cands, stages=stages, max_per_stage=max_per_stage,
                           category_parity=category_parity, total=total, rules=rules,
                           agreement=agreement)
    category_parity = result.category_parity
    with ws.store.transaction() as tx:
        plan_id = ws.repos.exchange_plans.add(
            tx, give_list=give, give_version=versions[0], receive_list=receive,
            receive_version=versions[1], stages=stages, max_per_stage=result.max_per_stage,
            category_parity=category_parity, total=total, rules=rules_to_data(rules),
            status=result.status, mip_gap=result.mip_gap, exchanged=result.exchanged,
            created_by=actor.username, assignments=result.assignments,
        )
        record_event(tx, actor=actor, action="plan.create", target=f"plan:{plan_id}", payload={
            "give": [give, versions[0]], "receive": [receive, versions[1]], "stages": stages,
            "max_per_stage": result.max_per_stage, "category_parity": category_parity,
            "total": total, "exchanged": result.exchanged, "status": result.status,
            "mip_gap": result.mip_gap, **(agreement.as_data() if agreement else {}),
        })
        return plan_id, result


def substitute_in_stored_plan(
    ws: Workspace, *, actor: Actor, plan_id: int, dropped: str, side: Side, reason: str,
) -> Mapping[str, Any]:
    """Replace a drop-out in a stored plan and record who, why and with whom."""
    actor.require(Action.PLAN)
    if not reason.strip():
        raise InvalidInput(N_("a substitution needs a reason (e.g. 'refuses repatriation')"))
    with ws.store.reading() as tx:
        stored = ws.repos.exchange_plans.get(tx, plan_id)
        if stored is None:
            raise NotFound(N_("no plan %(id)s"), id=plan_id)
        plan = plan_record(tx, stored, None)
        give, receive = (ws.repos.lists.named(tx, n)
                         for n in (stored.give_list, stored.receive_list))
        lst, version = ((give, stored.give_version) if side == "give"
                        else (receive, stored.receive_version))
        if lst is None or dropped not in visible_keys(tx, actor, lst, version):
            raise NotFound(N_("%(key)s is not on plan %(plan_id)s"), key=dropped, plan_id=plan_id)
    result = substitute(plan.assignments, dropped=dropped, side=side, reason=reason,
                        category_parity=plan.category_parity)
    with ws.store.transaction() as tx:
        # The plan's total follows its rows: a drop-out without a reserve takes one a side off.
        scheduled = Counter(a.side for a in result.assignments if a.stage is not None)
        plans = ws.repos.exchange_plans
        plans.reassign(tx, plan_id, result.assignments,
                       exchanged=min(scheduled.get("give", 0), scheduled.get("receive", 0)))
        plans.add_substitution(tx, plan_id, dropped=dropped, side=side, stage=result.stage,
                               replacement=result.replacement, reduced=result.reduced,
                               reason=reason, actor=actor.username)
        payload = {"dropped": dropped, "side": side, "stage": result.stage,
                   "replacement": result.replacement, "reduced": result.reduced,
                   "reason": reason}
        record_event(tx, actor=actor, action="plan.substitute", target=f"plan:{plan_id}",
                     payload=payload)
        return payload
