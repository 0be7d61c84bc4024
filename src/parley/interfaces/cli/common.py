"""What every command shares: the console, the workspace, and progress bars.

Kept light on purpose: every command imports this module, so the store and the services are
imported only when a command asks for the workspace (``parley --help`` stays fast).
"""

from __future__ import annotations

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

from parley.errors import WorkspaceNotReady

if TYPE_CHECKING:
    from parley.services.workspace import Workspace

console = Console()
err_console = Console(stderr=True)


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
