"""``parley serve``: the web app and JSON API under uvicorn."""

from __future__ import annotations

import typer

from parley.interfaces.cli.common import console, workspace


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the web app and the JSON API (docs at /api/docs) until Ctrl-C."""
    import uvicorn

    from parley.interfaces.web.app import create_app

    ws = workspace()
    app = create_app(ws)
    console.print(f"Parley at http://{host}:{port}/ (API docs at /api/docs); Ctrl-C stops it.")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
