"""Creating or migrating a workspace: schema, agencies."""

from __future__ import annotations

from parley.domain.actors import Actor
from parley.domain.agencies import DEFAULT_AGENCIES
from parley.services.journal import record_event
from parley.services.workspace import Workspace


def init_workspace(ws: Workspace, *, actor: Actor) -> list[str]:
    """Migrate the schema to the newest revision and make sure the staff's agencies exist."""
    heads = ws.store.migrate()
    agencies = ws.repos.agencies
    with ws.store.transaction() as tx:
        known = set(agencies.codes(tx))
        added = [a for a in DEFAULT_AGENCIES if a.code not in known]
        for agency in added:
            agencies.add(tx, code=agency.code, name=agency.name)
        if added:
            record_event(
                tx,
                actor=actor,
                action="workspace.init",
                target="workspace",
                payload={"agencies_added": [a.code for a in added], "schema": heads},
            )
    return heads
