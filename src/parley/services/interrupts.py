"""Stopping long work promptly and cleanly on Ctrl-C.

Python delivers SIGINT only between bytecodes of the main thread, so a minutes-long call into
DuckDB or Splink used to hold Ctrl-C for as long as the call ran. Here the signal only *asks* to
stop (a ``StopSignal``); long work checks it between chunks and raises ``Interrupted``, which
rolls back the open transaction; and a long foreign call runs in a worker thread
(``run_stoppable``) so the main thread can give up on it at once. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

from parley.errors import N_, Interrupted

__all__ = ["StopSignal", "run_stoppable", "stop_on_sigint"]

T = TypeVar("T")
# How often a waiting main thread looks at the stop signal: the bound on Ctrl-C's delay.
POLL_SECONDS = 0.1


class StopSignal:
    """A request to stop, set by a signal handler or another thread, checked by the work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def check(self, during: str) -> None:
        """Raise ``Interrupted`` if a stop was requested; call between chunks of work."""
        if self._event.is_set():
            raise Interrupted(
                N_("interrupted during %(during)s: nothing of this run was saved, the store "
                   "is as it was before; run the command again to resume"),
                during=during,
            )


@contextmanager
def stop_on_sigint(stop: StopSignal | None = None) -> Iterator[StopSignal]:
    """While inside, Ctrl-C requests ``stop`` instead of raising ``KeyboardInterrupt`` at a
    random bytecode; a second Ctrl-C raises it at once. Outside the main thread (where signals
    cannot be handled) the signal is simply yielded for others to set."""
    stop = stop or StopSignal()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.requested:
            raise KeyboardInterrupt
        stop.request()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def run_stoppable(work: Callable[[], T], stop: StopSignal, *, during: str) -> T:
    """``work()`` in a daemon worker thread while this thread watches ``stop``: returns its
    result or re-raises its exception, and raises ``Interrupted`` within ``POLL_SECONDS`` of a
    stop request even while the worker is deep inside a foreign library. The abandoned worker
    has written nothing (callers give it only reading work) and dies with the process."""
    outcome: list[T] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def body() -> None:
        try:
            outcome.append(work())
        except BaseException as err:  # handed to the waiting thread, which re-raises it
            failure.append(err)
        finally:
            done.set()

    threading.Thread(target=body, name=f"parley-{during}", daemon=True).start()
    while not done.wait(POLL_SECONDS):
        stop.check(during)
    if failure:
        raise failure[0]
    return outcome[0]
