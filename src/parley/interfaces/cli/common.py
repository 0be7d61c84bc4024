"""What every command shares: the console, the workspace, progress bars, and ``safe``/``plain``
for text that came from users or files.

Kept light on purpose: every command imports this module, so the store and the services are
imported only when a command asks for the workspace (``parley --help`` stays fast).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from parley.errors import LoginRequired, WorkspaceNotReady

if TYPE_CHECKING:
    from parley.domain.actors import Actor
    from parley.services.workspace import Workspace

console = Console()
err_console = Console(stderr=True)

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# overrides and isolates ("Trojan Source"): each could move the cursor, recolour or clear the
# screen, start a spoofed line, or reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def plain(value: object) -> str:
    """Stored or user-supplied text made safe for a terminal or a log line: every control
    character is shown as an escape (a newline as ``\\n``, ESC as ``\\x1b``), so nothing can move
    the cursor, recolour the screen or spoof a second line. For output Rich does not parse
    (``markup=False``, ``typer.echo``)."""
    return _UNSAFE.sub(_visible, str(value))


# What Rich would read as a tag, with any backslashes before it (``rich.markup.escape``'s rule,
# without its extra backslash after a trailing one, which Rich would then show: a name ending in
# a backslash must read exactly as stored).
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def safe(value: object) -> str:
    """``plain`` with Rich markup escaped too: for text inside strings and table cells that Rich
    parses as markup, so ``[/]`` or ``[bold]`` in a name is shown as typed, not interpreted."""
    return _TAG.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", plain(value))


def workspace(require_current: bool = True) -> Workspace:
    """The workspace named by ``PARLEY_DATABASE_URL``; refuses one that ``parley init`` has not
    brought to the newest schema, with a sentence that says what to do."""
    from parley.bootstrap import open_workspace

    ws = open_workspace()
    if require_current and not ws.store.is_current():
        raise WorkspaceNotReady(
            "the database is not initialised or is out of date: run 'parley init' first"
        )
    return ws


def signed_in(ws: Workspace) -> Actor:
    """The person on whose behalf this command acts: ``PARLEY_TOKEN``, else the login that
    ``parley login`` saved for this workspace. Every command that reads or changes the
    workspace asks here (need-to-know applies to reading too); only ``parley init``,
    ``parley demo`` and the first account act as the system."""
    from parley.interfaces.cli import credentials
    from parley.services.cli_login import token_user

    token = credentials.env_token()
    if token is None:
        saved = credentials.read(ws.settings.effective_database_url)
        if saved is None:
            raise LoginRequired("not signed in to this workspace: run 'parley login' (or set "
                                "PARLEY_TOKEN)")
        token = saved.token
    return token_user(ws, token=token)


def acting() -> tuple[Workspace, Actor]:
    """The workspace and the signed-in person: the first line of most commands."""
    ws = workspace()
    return ws, signed_in(ws)


@contextmanager
def progress_bar(transient: bool = False) -> Iterator[Progress]:
    """A Rich progress display on standard error, so standard output stays clean for data."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=transient,
    ) as progress:
        yield progress
