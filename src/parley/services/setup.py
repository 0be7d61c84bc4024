"""Creating or migrating a workspace: schema, agencies."""

from __future__ import annotations

from sqlalchemy import select

from parley.adapters.sql.tables import Agency
from parley.domain.actors import Actor
from parley.domain.agencies import DEFAULT_AGENCIES
from parley.services.journal import record_event
from parley.services.workspace import Workspace


def init_workspace(ws: Workspace, *, actor: Actor) -> list[str]:
    """Migrate the schema to the newest revision and make sure the staff's agencies exist."""
    heads = ws.store.migrate()
    with ws.store.transaction() as tx:
        known = set(tx.scalars(select(Agency.code)))
        added = [a for a in DEFAULT_AGENCIES if a.code not in known]
        for agency in added:
            tx.add(Agency(code=agency.code, name=agency.name))
        if added:
            tx.flush()
            record_event(
                tx,
                actor=actor,
                action="workspace.init",
                target="workspace",
                payload={"agencies_added": [a.code for a in added], "schema": heads},
            )
    return heads
