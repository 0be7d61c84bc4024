"""What the administration pages need beyond the account services: the agencies to choose."""

from __future__ import annotations

from parley.adapters.sql.workplace_reading import WorkplaceReader
from parley.domain.actors import Action, Actor
from parley.services.workspace import Workspace


def agency_codes(ws: Workspace, *, actor: Actor) -> list[str]:
    """Every agency's code, for the user forms."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.reading() as tx:
        return WorkplaceReader(tx).agency_codes()
