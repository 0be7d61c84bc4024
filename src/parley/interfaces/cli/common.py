"""What every command shares: the console, the workspace, and progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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

from parley.bootstrap import open_workspace
from parley.errors import ParleyError
from parley.services.workspace import Workspace

console = Console()
err_console = Console(stderr=True)


class WorkspaceNotReady(ParleyError):
    exit_code = 8


def workspace(require_current: bool = True) -> Workspace:
    """The workspace named by ``PARLEY_DATABASE_URL``; refuses one that ``parley init`` has not
    brought to the newest schema, with a sentence that says what to do."""
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
