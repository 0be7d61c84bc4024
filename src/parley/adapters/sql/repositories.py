"""The SQL repositories, gathered as the ``Repositories`` port the services ask for.

Repositories hold no state of their own: each method takes the open transaction (``Tx``), so one
transaction can span several repositories and the audit event that records the change.
"""

from __future__ import annotations

from parley.adapters.sql.ingest_repo import SqlIngestRepository
from parley.adapters.sql.resolution_repo import SqlResolutionRepository
from parley.services.ports.ingest import IngestRepository
from parley.services.ports.resolution import ResolutionRepository


class SqlRepositories:
    """Satisfies ``parley.services.ports.Repositories``; one attribute per topic."""

    ingest: IngestRepository = SqlIngestRepository()
    resolution: ResolutionRepository = SqlResolutionRepository()
