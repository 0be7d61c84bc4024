"""The SQL repositories, gathered as the ``Repositories`` port the services ask for.

Repositories hold no state of their own: each method takes the open transaction (``Tx``), so one
transaction can span several repositories and the audit event that records the change.
"""

from __future__ import annotations

from parley.adapters.sql.accounts_repo import SqlAgencies, SqlUsers
from parley.adapters.sql.answer_repo import SqlAnswerTasks
from parley.adapters.sql.audit_repo import SqlAuditCheckpoints, SqlAuditEvents, SqlAuditTree
from parley.adapters.sql.conflicts_repo import SqlConflicts
from parley.adapters.sql.credentials_repo import SqlApiTokens, SqlTotpSteps, SqlWebSessions
from parley.adapters.sql.handover_repo import SqlHandover
from parley.adapters.sql.ingest_repo import SqlIngestRepository
from parley.adapters.sql.inquiry_repo import SqlInquiries
from parley.adapters.sql.list_repo import SqlListEntries, SqlLists, SqlListSources, SqlListVersions
from parley.adapters.sql.login_guard_repo import SqlLoginGuard
from parley.adapters.sql.persons_repo import SqlPersons
from parley.adapters.sql.pfif_repo import SqlPfifRecords
from parley.adapters.sql.plan_repo import SqlExchangePlans, SqlPriorityRules
from parley.adapters.sql.reconciliation_repo import SqlReconciliations
from parley.adapters.sql.registry_repo import SqlRegistry
from parley.adapters.sql.remains_repo import SqlRemainsRecords
from parley.adapters.sql.resolution_repo import SqlResolutionRepository
from parley.adapters.sql.review_repo import SqlReviewRepository
from parley.adapters.sql.signoff_repo import SqlListApprovals
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


class SqlRepositories:
    """Satisfies ``parley.services.ports.Repositories``; one attribute per topic."""

    conflicts: Conflicts = SqlConflicts()
    reconciliations: Reconciliations = SqlReconciliations()
    registry: Registry = SqlRegistry()
    review: ReviewRepository = SqlReviewRepository()
    agencies: Agencies = SqlAgencies()
    answer_tasks: AnswerTasks = SqlAnswerTasks()
    api_tokens: ApiTokens = SqlApiTokens()
    audit_checkpoints: AuditCheckpoints = SqlAuditCheckpoints()
    audit_events: AuditEvents = SqlAuditEvents()
    audit_tree: AuditTree = SqlAuditTree()
    handover: Handover = SqlHandover()
    ingest: IngestRepository = SqlIngestRepository()
    inquiries: Inquiries = SqlInquiries()
    list_approvals: ListApprovals = SqlListApprovals()
    login_guard: LoginGuard = SqlLoginGuard()
    persons: Persons = SqlPersons()
    pfif_records: PfifRecords = SqlPfifRecords()
    remains: RemainsRecords = SqlRemainsRecords()
    resolution: ResolutionRepository = SqlResolutionRepository()
    totp_steps: TotpSteps = SqlTotpSteps()
    users: Users = SqlUsers()
    web_sessions: WebSessions = SqlWebSessions()

    # Exchange lists, their sources, plans and priority rules.
    exchange_plans: ExchangePlans = SqlExchangePlans()
    list_entries: ListEntries = SqlListEntries()
    list_sources: ListSources = SqlListSources()
    list_versions: ListVersions = SqlListVersions()
    lists: Lists = SqlLists()
    priority_rules: PriorityRules = SqlPriorityRules()
