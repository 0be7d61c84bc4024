"""Entry point: the Typer app, its sub-commands, and the one place errors become exit codes."""

from __future__ import annotations

import sys

import typer

from parley import __version__
from parley.domain.actors import LOCAL_OPERATOR
from parley.errors import ParleyError
from parley.interfaces.cli.common import console, err_console, plain, workspace
from parley.services.setup import init_workspace

app = typer.Typer(
    name="parley",
    help="Parley: verify identities across sources, build and reconcile exchange lists, plan "
    "staged exchanges that keep parity, and keep a signed, tamper-evident record.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def init() -> None:
    """Create the database named by PARLEY_DATABASE_URL, or migrate it to the newest schema."""
    ws = workspace(require_current=False)
    heads = init_workspace(ws, actor=LOCAL_OPERATOR)
    console.print(f"Database ready at schema {', '.join(heads)}: {ws.store.engine.url!r}")


@app.command()
def version() -> None:
    """Print Parley's version."""
    console.print(__version__)


def _register() -> None:
    """Attach the feature command groups; each module exposes ``register(app)``."""
    from parley.interfaces.cli import commands

    for module in commands.MODULES:
        module.register(app)


def run() -> None:
    """Console entry point: a ``ParleyError`` is one readable line and a non-zero exit."""
    _register()
    try:
        app()
    except ParleyError as err:
        err_console.print(f"error: {plain(err)}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
