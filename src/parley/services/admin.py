"""What the administration and import pages need beyond their services: the agencies."""

from __future__ import annotations

from parley.domain.actors import Action, Actor
from parley.services.workspace import Workspace


def agency_codes(ws: Workspace, *, actor: Actor) -> list[str]:
    """Every agency's code, for the user and import forms."""
    if not actor.may(Action.INGEST):
        actor.require(Action.MANAGE_USERS)
    with ws.store.reading() as tx:
        return ws.repos.agencies.codes(tx)
