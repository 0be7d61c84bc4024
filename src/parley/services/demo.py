"""The demo workspace: synthetic sources run through every stage of the pipeline.

``make demo`` and ``parley demo`` call ``build_demo``; each step reports progress through a
callback ``(step, done, total)`` so the CLI draws bars without this module knowing terminals.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from parley.adapters.sql.tables import Person, QuarantinedRow, Source, SourceRecord, User
from parley.domain.actors import Actor, Role
from parley.services.accounts import create_user
from parley.services.audit import write_checkpoint
from parley.services.ingest import ingest_file
from parley.services.resolution import resolve_identities, set_duplicate_free
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace
from parley.synth.generate import generate

Progress = Callable[[str, int, int], None]

DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("coordinator", Role.COORDINATOR, "HQ"),
    ("analyst.mod", Role.ANALYST, "MOD"),
    ("analyst.diu", Role.ANALYST, "DIU"),
    ("analyst.ssu", Role.ANALYST, "SSU"),
    ("analyst.omb", Role.ANALYST, "OMB"),
    ("logistics", Role.LOGISTICS, "MOI"),
    ("mediator", Role.MEDIATOR, "MED"),
    ("auditor", Role.AUDITOR, "OMB"),
    ("admin", Role.ADMIN, "HQ"),
)
COUNTERPART_HINT = "counterpart"


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
    """Make the demo accounts that do not exist yet, with fresh random passwords shown once."""
    made = []
    with ws.store.reading() as tx:
        existing = set(tx.scalars(select(User.username)))
    for username, role, agency in DEMO_ACCOUNTS:
        if username in existing:
            continue
        password = secrets.token_urlsafe(12)
        create_user(ws, actor=actor, username=username, password=password, role=role,
                    agency=agency, display_name=username.replace(".", " ").title())
        made.append((username, role.value, agency, password))
    return made


def _counts(ws: Workspace, summary: DemoSummary) -> None:
    with ws.store.reading() as tx:
        summary.sources = tx.scalar(select(func.count()).select_from(Source)) or 0
        summary.records = tx.scalar(select(func.count()).select_from(SourceRecord)) or 0
        summary.quarantined = tx.scalar(select(func.count()).select_from(QuarantinedRow)) or 0
        summary.persons = tx.scalar(select(func.count()).select_from(Person)) or 0
        summary.verified = tx.scalar(
            select(func.count()).select_from(Person).where(Person.verified.is_(True))) or 0


def build_demo(
    ws: Workspace, *, actor: Actor, people: int = 1500, seed: int = 7, out: Path,
    progress: Progress | None = None,
) -> DemoSummary:
    """Initialise the workspace and run every pipeline stage on synthetic agency files.

    Running it again on the same workspace adds nothing: ingest recognises the files.
    """
    report = progress or (lambda _step, _done, _total: None)
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

        def ingest_progress(done: int, total: int | None, step: str = step) -> None:
            report(step, done, total or done or 1)

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

    checkpoint = write_checkpoint(ws, actor=actor)
    summary.steps.append(f"audit log checkpoint signed at size {checkpoint.size}")
    _counts(ws, summary)
    return summary
