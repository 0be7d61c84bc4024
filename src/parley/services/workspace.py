"""A workspace: the store and the settings every service call runs against.

``store`` is the ``parley.services.ports.Storage`` port, not the SQL ``Store``: services open
transactions and reach repositories through it, and never see which database is behind it
(``parley.bootstrap`` is the one place that chooses).
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.config import Settings
from parley.services.ports import Repositories, Storage


@dataclass(frozen=True)
class Workspace:
    store: Storage
    settings: Settings

    @property
    def repos(self) -> Repositories:
        """The repositories over this workspace's store (services reach storage only here)."""
        return self.store.repos
