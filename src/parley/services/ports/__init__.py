"""What services need of storage, written as protocols that the adapters satisfy.

Services name these types and never the adapters' classes: a use case reads as the use case it is,
and the store behind it (SQLite, PostgreSQL, a fake in a test) can change without touching it.
A topic's repository protocols live in a module of their own here (``ports/<topic>.py``);
``Repositories`` gathers them, and ``adapters/sql/repositories.py`` builds the real ones.

A service that opens its transaction reaches the repositories as ``ws.repos``; one that is handed
an open transaction (``record_event``, the login guard) asks ``repositories_of(tx)``: every
transaction the store opens carries the repositories of that store.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, cast

from parley.services.ports.accounts import Agencies, Users
from parley.services.ports.answers import AnswerTasks
from parley.services.ports.audit import AuditCheckpoints, AuditEvents, AuditTree
from parley.services.ports.conflicts import Conflicts
from parley.services.ports.credentials import ApiTokens, TotpSteps, WebSessions
from parley.services.ports.handover import Handover
from parley.services.ports.ingest import IngestRepository
from parley.services.ports.inquiries import Inquiries
from parley.services.ports.lists import ListEntries, Lists, ListSources, ListVersions
from parley.services.ports.login_guard import LoginGuard
from parley.services.ports.persons import Persons
from parley.services.ports.pfif import PfifRecords
from parley.services.ports.plans import ExchangePlans, PriorityRules
from parley.services.ports.reconciliation import Reconciliations
from parley.services.ports.registry import Registry
from parley.services.ports.remains import RemainsRecords
from parley.services.ports.resolution import ResolutionRepository
from parley.services.ports.review import ReviewRepository
from parley.services.ports.signoff import ListApprovals
from parley.services.ports.tx import Tx

__all__ = ["Repositories", "Storage", "Tx", "repositories_of"]


class Repositories(Protocol):
    """Every repository a service may use; one attribute per topic (see ``ports/<topic>.py``)."""

    conflicts: Conflicts
    reconciliations: Reconciliations
    registry: Registry
    review: ReviewRepository
    agencies: Agencies
    answer_tasks: AnswerTasks
    api_tokens: ApiTokens
    audit_checkpoints: AuditCheckpoints
    audit_events: AuditEvents
    audit_tree: AuditTree
    handover: Handover
    ingest: IngestRepository
    inquiries: Inquiries
    list_approvals: ListApprovals
    login_guard: LoginGuard
    persons: Persons
    pfif_records: PfifRecords
    remains: RemainsRecords
    resolution: ResolutionRepository
    totp_steps: TotpSteps
    users: Users
    web_sessions: WebSessions

    # Exchange lists, their sources, plans and priority rules (``ports/lists.py``, ``plans.py``).
    exchange_plans: ExchangePlans
    list_entries: ListEntries
    list_sources: ListSources
    list_versions: ListVersions
    lists: Lists
    priority_rules: PriorityRules


class Storage(Protocol):
    """A store as services see it: transactions that carry the repositories, migrations, and a
    way to open it again in another process."""

    errors: tuple[type[Exception], ...]
    """What the database layer itself may raise (beyond ``StoreUnavailable``)."""

    @property
    def repos(self) -> Repositories: ...

    def transaction(self) -> AbstractContextManager[Tx]:
        """Commit on success, roll back on any error."""

    def reading(self) -> AbstractContextManager[Tx]:
        """A read-only transaction (no write lock)."""

    def is_current(self) -> bool:
        """Whether the schema is at the newest revision (``parley init`` has run)."""

    def migrate(self) -> list[str]:
        """Bring the schema to the newest revision; the heads now applied."""

    def label(self) -> str:
        """Which database this is, without secrets."""

    def opener(self) -> Callable[[], Storage]:
        """A picklable way to open this store again, in another process."""

    def close(self) -> None: ...


def repositories_of(tx: Tx) -> Repositories:
    """The repositories of the store that opened ``tx`` (it carries them as ``repos``)."""
    repos = getattr(tx, "repos", None)
    if repos is None:
        raise TypeError(f"a {type(tx).__name__} opened outside a store carries no repositories")
    return cast("Repositories", repos)
