"""The one place that wires adapters into services."""

from __future__ import annotations

from parley.adapters.sql.store import Store
from parley.config import Settings, get_settings
from parley.services.audit import maybe_checkpoint
from parley.services.workspace import Workspace


def open_workspace(settings: Settings | None = None) -> Workspace:
    """Open the store named by the settings (``PARLEY_DATABASE_URL``), without migrating it;
    after each commit an audit checkpoint is signed if one is due."""
    chosen = settings or get_settings()
    store = Store.from_url(chosen.effective_database_url)
    ws = Workspace(store=store, settings=chosen)
    store.after_commit.append(lambda: maybe_checkpoint(ws))
    return ws
