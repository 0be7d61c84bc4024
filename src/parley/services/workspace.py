"""A workspace: the store and the settings every service call runs against."""

from __future__ import annotations

from dataclasses import dataclass

from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.services.ports import Repositories


@dataclass(frozen=True)
class Workspace:
    store: Store
    settings: Settings

    @property
    def repos(self) -> Repositories:
        """The repositories over this workspace's store (services reach storage only here)."""
        return self.store.repos
