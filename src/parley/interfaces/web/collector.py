"""The garbage collector in a server process: keep its full passes off the request path.

A full collection walks every object the collector tracks. Once the app is built that is some
275,000 objects (the modules of FastAPI, SQLAlchemy, Babel and ours, the routes, the templates)
that never become garbage, and the process caches of list versions, redacted views and plans
add some 150,000 more on a registry with two 5,000-entry lists. On a loaded 2-core machine a
full pass over them took 0.6-1.1 s, during which every request of the process waited (one
interpreter lock): it was the p99 of every page.

So a served app freezes what exists once it is built, and again after a request that filled a
process cache (``gc.freeze`` moves the objects alive into a generation the collector skips;
reference counting still frees them, and a cache drops what it evicts). Young objects are
collected every 20,000 allocations instead of 700, so what a request builds (200 rows of a page)
is mostly freed before it is promoted to the older generations that a full pass walks. Only
``parley serve`` does this: tests and scripts keep the interpreter's defaults.
"""

from __future__ import annotations

import gc

from starlette.types import ASGIApp, Receive, Scope, Send

from parley.services.list_access import cache_fills

YOUNG_THRESHOLD = 20_000


def _freeze() -> None:
    gc.collect(1)  # the young generations' garbage (cheap) is not frozen with the rest
    gc.freeze()


class FreezeKept:
    """Pure ASGI middleware: after a request that filled a process cache, freeze (see the
    module docstring). A cache fills once per list version, reader class and plan state, so
    this runs rarely; whatever cyclic garbage is frozen with it is never collected, a bounded
    cost for a walk of 150,000 objects less on every full collection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.fills = cache_fills()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        fills = cache_fills()
        if fills != self.fills:
            self.fills = fills
            _freeze()


def settle_for_serving(app: ASGIApp) -> ASGIApp:
    """``app`` as a server runs it: call once, when the app is built and before it serves."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return FreezeKept(app)
