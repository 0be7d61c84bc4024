"""A workspace: the store and the settings every service call runs against."""

from __future__ import annotations

from dataclasses import dataclass

from parley.adapters.sql.store import Store
from parley.config import Settings


@dataclass(frozen=True)
class Workspace:
    store: Store
    settings: Settings
