"""A workspace: the store and the settings every service call runs against.

``store`` is still typed as the SQL ``Store`` (so this module is in the purity test's NOT_YET):
services not yet behind repositories use its transactions as SQLAlchemy sessions. When the last
of them has moved, ``store`` becomes the ``parley.services.ports.Storage`` port.
"""

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
