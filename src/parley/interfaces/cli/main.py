"""Entry point: the Typer app, its sub-commands, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

import typer
from typer import _click as click  # Typer vendors its own click (typer >= 0.29)
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from parley import __version__
from parley.domain.actors import LOCAL_OPERATOR
from parley.errors import ParleyError
from parley.interfaces.cli import commands
from parley.interfaces.cli.common import console, err_console, plain, workspace


class LazyGroup(TyperGroup):
    """The top-level group: feature commands come from ``commands.COMMANDS`` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        own = list(super().list_commands(ctx))
        return own + [entry.name for entry in commands.COMMANDS if entry.name not in own]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or commands.load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The help table from the static help lines, so ``--help`` imports no feature."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            entry = commands.BY_NAME.get(name)
            if entry is not None:
                text = make_default_short_help(entry.help, limit)
            else:
                command = super().get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="parley",
    cls=LazyGroup,
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
    from parley.services.setup import init_workspace

    ws = workspace(require_current=False)
    heads = init_workspace(ws, actor=LOCAL_OPERATOR)
    console.print(f"Database ready at schema {', '.join(heads)}: {ws.store.label()}")


@app.command()
def version() -> None:
    """Print Parley's version."""
    console.print(__version__)


_registered = False


def _register() -> None:
    """Attach every feature command eagerly (the docs test lists them from the real app)."""
    global _registered
    if _registered:
        return
    for module in commands.modules():
        module.register(app)
    _registered = True


def error_line(err: ParleyError, env: Mapping[str, str]) -> str:
    """The one line a refused command prints, in the terminal's language: ``PARLEY_LANGUAGE``,
    else the POSIX locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``); Ukrainian when it
    names Ukrainian, English otherwise (what logs and scripts read)."""
    wanted = env.get("PARLEY_LANGUAGE") or next(
        (env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    if not wanted.lower().startswith("uk"):
        return f"error: {plain(err)}"
    # Imported here: Babel and the catalogs cost start-up time no other path pays.
    from parley.interfaces.web.error_text import translate_error
    from parley.interfaces.web.i18n import current_language

    token = current_language.set("uk")
    try:
        return f"помилка: {plain(translate_error(err))}"
    finally:
        current_language.reset(token)


def run() -> None:
    """Console entry point: a ``ParleyError`` is one readable line and a non-zero exit."""
    try:
        app()
    except ParleyError as err:
        err_console.print(error_line(err, os.environ), markup=False, highlight=False,
                          soft_wrap=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
