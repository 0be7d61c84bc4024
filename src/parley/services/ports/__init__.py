"""What services need of storage, written as protocols that the adapters satisfy.

Services name these types and never the adapters' classes: a use case reads as the use case it is,
and the store behind it (SQLite, PostgreSQL, a fake in a test) can change without touching it.
A topic's repository protocols live in a module of their own here (``ports/<topic>.py``);
``Repositories`` gathers them, and ``adapters/sql/repositories.py`` builds the real ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from parley.services.ports.ingest import IngestRepository
    from parley.services.ports.resolution import ResolutionRepository


class Tx(Protocol):
    """One open transaction, the unit of work. Services hand it to repositories, which write
    into it, and never look inside: the audit event and the change it records commit together."""


class Repositories(Protocol):
    """Every repository a service may use; one attribute per topic (see ``ports/<topic>.py``)."""

    ingest: IngestRepository
    resolution: ResolutionRepository
