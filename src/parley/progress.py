"""One way for long work to say how far it is: ``progress(stage, done, total)``.

The command line draws it as a Rich bar and the web's job poller as an htmx bar; one signature
means any long job (ingest, resolve, match, demo) can be shown by either without adapters.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called as work advances; ``total`` is None while the amount of work is not yet known."""

    def __call__(self, stage: str, done: int, total: int | None) -> None: ...


def no_progress(stage: str, done: int, total: int | None) -> None:
    """For callers that show nothing."""
