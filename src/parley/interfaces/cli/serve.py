"""``parley serve``: the web app and JSON API under uvicorn.

With ``--workers N`` uvicorn runs N processes, each opening the workspace from the settings
(``PARLEY_*``): the app is stateless, state lives in the database and the audit log, so pages
scale with the cores (SQLite in WAL mode serves concurrent readers; PostgreSQL for many writers).
"""

from __future__ import annotations

import typer

from parley.domain.actors import Actor
from parley.interfaces.cli.common import acting, console, workspace
from parley.services import serving
from parley.services.workspace import Workspace


def app_factory() -> object:
    """The app for one uvicorn worker process (``uvicorn --factory``)."""
    from parley.interfaces.web.app import create_app
    from parley.interfaces.web.collector import settle_for_serving

    return settle_for_serving(create_app(workspace()))


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64,
                                help="Worker processes (one per core is a good start)."),
) -> None:
    """Serve the web app and the JSON API (docs at /api/docs) until Ctrl-C (an administrator,
    signed in with 'parley login' or PARLEY_TOKEN)."""
    ws, me = acting()  # refuses an uninitialised database before any worker starts
    serve_as(ws, me, host=host, port=port, workers=workers)


def serve_as(ws: Workspace, actor: Actor, *, host: str, port: int, workers: int = 1) -> None:
    """Serve on behalf of ``actor``: an administrator, or the system right after ``parley demo``
    built the workspace. Opening the workspace on a network address is an operator's act, so
    the log says who did it, where and with how many workers (``server.start``)."""
    import uvicorn

    serving.record_start(ws, actor=actor, address=f"http://{host}:{port}/", workers=workers)
    console.print(f"Parley at http://{host}:{port}/ (API docs at /api/docs), {workers} "
                  f"worker{'s' if workers != 1 else ''}; Ctrl-C stops it.", markup=False)
    if workers == 1:
        from parley.interfaces.web.app import create_app
        from parley.interfaces.web.collector import settle_for_serving

        uvicorn.run(settle_for_serving(create_app(ws)), host=host, port=port,
                    log_level="warning", proxy_headers=False)
        return
    from parley.services.accounts import ensure_secret_key

    ensure_secret_key(ws.settings)  # made once here, so every worker signs with the same key
    ws.store.close()
    uvicorn.run("parley.interfaces.cli.serve:app_factory", factory=True, host=host, port=port,
                workers=workers, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
