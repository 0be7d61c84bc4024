"""The demo workspace: synthetic sources run through every stage of the pipeline.

``make demo`` and ``parley demo`` call ``build_demo``; each step reports progress through a
callback ``(step, done, total)`` so the CLI draws bars without this module knowing terminals.
"""

from __future__ import annotations

import csv
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from parley.domain.actors import Actor, Role
from parley.domain.lists import Entry, age_group
from parley.domain.plan import Assignment
from parley.errors import NotFound
from parley.progress import Progress, no_progress
from parley.services.accounts import create_user, set_password
from parley.services.audit import write_checkpoint
from parley.services.demo_exchday import run_first_stage
from parley.services.demo_families import build_families_demo
from parley.services.ingest import ingest_file
from parley.services.list_store import list_row
from parley.services.lists import (
    add_entries,
    add_from_registry,
    create_list,
    list_entries,
    plan_lists,
    substitute_in_stored_plan,
    update_entries,
)
from parley.services.reconciliation import reconcile_counterpart_list
from parley.services.resolution import resolve_identities, set_duplicate_free
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace
from parley.synth.generate import generate
from parley.synth.people import population

DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("coordinator", Role.COORDINATOR, "HQ"),
    ("analyst.mod", Role.ANALYST, "MOD"),
    ("analyst.diu", Role.ANALYST, "DIU"),
    ("analyst.ssu", Role.ANALYST, "SSU"),
    ("analyst.omb", Role.ANALYST, "OMB"),
    ("logistics", Role.LOGISTICS, "MOI"),
    ("mediator", Role.MEDIATOR, "MED"),
    ("auditor", Role.AUDITOR, "OMB"),
    ("liaison", Role.FAMILY_LIAISON, "OMB"),
    ("admin", Role.ADMIN, "HQ"),
)
DEMO_CLEARANCE = {"analyst.diu": "secret", "analyst.ssu": "secret"}
"""The intelligence analysts read their own agency's reports, which the synthetic files classify
secret; everyone else keeps the default clearance (restricted)."""
COUNTERPART_HINT = "counterpart"
RECEIVE_LIST = "demo-to-receive"
GIVE_LIST = "demo-to-hand-over"
DEMO_STAGES = 3


@dataclass
class DemoSummary:
    sources: int = 0
    records: int = 0
    quarantined: int = 0
    persons: int = 0
    verified: int = 0
    steps: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)


def _ensure_accounts(ws: Workspace, actor: Actor) -> list[tuple[str, str, str, str]]:
    """The demo accounts with fresh random passwords, shown once: made if missing, else given a
    new password, so every demo run prints passwords that work."""
    made = []
    with ws.store.reading() as tx:
        existing = {user.username for user in ws.repos.users.ordered(tx)}
    for username, role, agency in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        if username in existing:
            set_password(ws, actor=actor, username=username, password=password)
        else:
            create_user(ws, actor=actor, username=username, password=password, role=role,
                        agency=agency, display_name=username.replace(".", " ").title(),
                        clearance=DEMO_CLEARANCE.get(username, "restricted"))
        made.append((username, role.value, agency, password))
    return made


def _counts(ws: Workspace, summary: DemoSummary) -> None:
    with ws.store.reading() as tx:
        counts = ws.repos.registry.counts(tx)
    summary.sources, summary.records = counts.sources, counts.records
    summary.quarantined, summary.persons = counts.quarantined, counts.persons
    summary.verified = counts.verified


def build_demo(
    ws: Workspace, *, actor: Actor, people: int = 1500, seed: int = 7, out: Path,
    progress: Progress | None = None,
) -> DemoSummary:
    """Initialise the workspace and run every pipeline stage on synthetic agency files.

    Running it again on the same workspace adds nothing: ingest recognises the files.
    """
    report = progress or no_progress
    summary = DemoSummary()

    report("schema and agencies", 0, 1)
    init_workspace(ws, actor=actor)
    summary.accounts = _ensure_accounts(ws, actor)
    report("schema and agencies", 1, 1)

    report("synthetic agency files", 0, 1)
    manifest = generate(people, seed, out)
    report("synthetic agency files", 1, 1)
    summary.steps.append(f"synthetic files for {people} people written to {out}")

    for item in manifest.files:
        step = f"ingest {item.file}"

        def ingest_progress(stage: str, done: int, total: int | None, step: str = step
                            ) -> None:
            report(step, done, total)

        result = ingest_file(
            ws, actor=actor, path=out / item.file, source=item.source, agency=item.agency,
            classification=item.classification, reliability=item.reliability,
            progress=ingest_progress,
        )
        report(step, result.read, result.read or 1)
        summary.steps.append(
            f"{item.file}: {result.imported} imported, {result.duplicates} duplicates, "
            f"{result.quarantined} quarantined"
        )
        if COUNTERPART_HINT in item.source.lower():
            set_duplicate_free(ws, actor=actor, source=item.source, duplicate_free=True)

    resolved = resolve_identities(ws, actor=actor, progress=report)
    summary.steps.append(
        f"identity resolution: {resolved.persons} persons, {resolved.links} links, "
        f"{resolved.in_review_band} pairs to review, {resolved.conflicts_open} open conflicts"
    )

    summary.steps.append(_exchange(ws, actor=actor, seed=seed, out=out, report=report))
    report("exchange day, stage 1", 0, 1)
    summary.steps.append(run_first_stage(ws, actor=actor, seed=seed, out=out))
    report("exchange day, stage 1", 1, 1)
    summary.steps.extend(build_families_demo(ws, actor=actor, seed=seed, out=out))

    checkpoint = write_checkpoint(ws, actor=actor)
    summary.steps.append(f"audit log checkpoint signed at size {checkpoint.size}")
    _counts(ws, summary)
    return summary


def _exchange(ws: Workspace, *, actor: Actor, seed: int, out: Path, report: Progress) -> str:
    """Lists both ways, the other side's confirmations, and a staged plan that keeps parity.

    The list to receive is drawn from the registry (our people held); the list to hand over
    holds synthetic people of the other side in their Russian-form names. Lists that exist
    already are left as they are, so a second demo run changes nothing.
    """
    if _has_list(ws, RECEIVE_LIST):
        return f"exchange lists '{RECEIVE_LIST}' and '{GIVE_LIST}' exist already: left as they are"
    report("exchange lists and plan", 0, 3)
    create_list(ws, actor=actor, name=RECEIVE_LIST, direction="receive")
    add_from_registry(ws, actor=actor, name=RECEIVE_LIST)
    receive = [e.key for e in list_entries(ws, actor=actor, name=RECEIVE_LIST)]
    create_list(ws, actor=actor, name=GIVE_LIST, direction="give")
    theirs = _their_people(len(receive) + len(receive) // 5, seed)
    add_entries(ws, actor=actor, name=GIVE_LIST, entries=theirs)
    report("exchange lists and plan", 1, 3)
    ready = {"identity_verified": True, "medical_fit": True, "will_recorded": True}
    # The other side answers our list in a file of its own; what it confirms is what the
    # reconciliation finds, not what the demo decides.
    answer = out / "counterpart-answer.csv"
    _write_answer(answer, list_entries(ws, actor=actor, name=RECEIVE_LIST), seed)
    rec_id, result = reconcile_counterpart_list(ws, actor=actor, name=RECEIVE_LIST, path=answer)
    confirmed_ours = sorted({r.entry_key for r in result.rows
                             if r.outcome == "confirmed" and r.entry_key})
    update_entries(ws, actor=actor, name=RECEIVE_LIST, keys=confirmed_ours, status="confirmed",
                   readiness=ready)
    # Our side confirms most of theirs; a tenth stays unconfirmed.
    confirmed_theirs = [e.key for i, e in enumerate(theirs) if i % 10 != 9]
    update_entries(ws, actor=actor, name=GIVE_LIST, keys=confirmed_theirs, status="confirmed",
                   readiness=ready)
    report("exchange lists and plan", 2, 3)
    plan_id, plan = plan_lists(ws, actor=actor, give=GIVE_LIST, receive=RECEIVE_LIST,
                               stages=DEMO_STAGES)
    # One person on their side refuses repatriation: the plan takes a reserve in their place.
    dropped = _first_scheduled(plan.assignments, "give")
    if dropped is not None:
        substitute_in_stored_plan(ws, actor=actor, plan_id=plan_id, dropped=dropped,
                                  side="give", reason="refuses repatriation (demo)")
    report("exchange lists and plan", 3, 3)
    counts = result.counts()
    return (f"counterpart answer reconciled (#{rec_id}): {counts['confirmed']} confirmed, "
            f"{counts['doubtful']} doubtful, {counts['unknown']} unknown; exchange plan "
            f"{plan_id}: {plan.exchanged} for {plan.exchanged} in {DEMO_STAGES} stages "
            f"({plan.status}, gap {plan.mip_gap:.2%}), "
            f"{'one substitution' if dropped else 'no substitution'}; lists "
            f"'{RECEIVE_LIST}' and '{GIVE_LIST}'")


def _has_list(ws: Workspace, name: str) -> bool:
    with ws.store.reading() as tx:
        try:
            list_row(tx, name)
        except NotFound:
            return False
    return True


def _first_scheduled(assignments: Sequence[Assignment], side: str) -> str | None:
    return next((a.record_id for a in assignments if a.side == side and a.stage is not None),
                None)


def _write_answer(path: Path, entries: Sequence[Entry], seed: int) -> None:
    """The other side's answer as it would come: Russian headers and dates, most of our list
    confirmed, a few people we never listed, one row written twice."""
    rng = random.Random(seed + 2)
    rows = [e for i, e in enumerate(entries) if i % 10 != 9]
    rows.append(rows[0])
    strangers = population(3, rng, lookalike_share=0.0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Фамилия", "Имя", "Отчество", "Дата рождения"])
        for e in rows:
            born = e.birth_date
            writer.writerow([e.family_name, e.given_name, e.patronymic,
                             ".".join(reversed(born.split("-"))) if born else ""])
        for person in strangers:
            family, given, patronymic = person.names("ru")
            writer.writerow([family, given, patronymic, person.birth.strftime("%d.%m.%Y")])


def _their_people(count: int, seed: int) -> list[Entry]:
    """Synthetic people of the other side that we hold, named as their own records name them."""
    rng = random.Random(seed + 1)
    entries = []
    for n, person in enumerate(population(count, rng, lookalike_share=0.0), start=1):
        family, given, patronymic = person.names("ru")
        facts = {"captivity_start": person.capture_date.isoformat()} if person.capture_date else {}
        entries.append(Entry(
            key=f"G-{n:05d}", display_name=f"{family} {given} {patronymic}",
            family_name=family, given_name=given, patronymic=patronymic,
            birth_date=person.birth.isoformat(),
            category="military" if person.military else "civilian",
            seriously_wounded=rng.random() < 0.05,
            age_group=age_group(person.birth, date(2026, 1, 1)),
            facts=facts,
        ))
    return entries
