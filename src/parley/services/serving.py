"""Starting the web server, as an act someone answers for.

``parley serve`` opens the workspace on a network address: every page then authenticates its
own users, but choosing to expose the registry (and on which address) is an operator's
decision, like managing accounts. So only an administrator may start it (or the system, right
after ``parley demo`` built a workspace nobody could sign in to yet), and the audit log keeps
who started which address with how many workers.
"""

from __future__ import annotations

from parley.domain.actors import Action, Actor
from parley.services.journal import record_event
from parley.services.workspace import Workspace


def record_start(ws: Workspace, *, actor: Actor, address: str, workers: int) -> None:
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="server.start", target=address,
                     payload={"workers": workers})
