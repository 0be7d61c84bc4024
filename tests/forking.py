"""Run one operation in a forked child and kill it (``SIGKILL``) on cue: a crash, without
starting a fresh interpreter each time (the child inherits parley, already imported)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

from sqlalchemy import event

from parley.adapters.sql.store import Store
from parley.services.workspace import Workspace

CRASHED = -signal.SIGKILL


def run_child(ws: Workspace, operation: Callable[[Workspace], object],
              *, kill_after: float | None = None) -> int:
    """Fork; the child runs ``operation`` on a store of its own (the parent's pooled
    connections are never shared) and exits 0, or 1 on any error; with ``kill_after`` the
    parent kills the child that many seconds after the fork. Returns the child's exit code, or
    ``CRASHED`` when it was killed."""
    return run_traced(ws, operation, kill_after=kill_after)[0]


def run_traced(ws: Workspace, operation: Callable[[Workspace], object],
               *, kill_after: float | None = None) -> tuple[int, int]:
    """``run_child``, also counting the SQL statements the child had begun when it ended (one
    byte per statement down a pipe): where in the operation a kill landed."""
    read, write = os.pipe()
    pid = start_child(ws, operation, trace_fd=write)
    os.close(write)
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(pid, signal.SIGKILL)
    code = wait_child(pid)
    statements = 0
    with os.fdopen(read, "rb") as pipe:
        while chunk := pipe.read(65_536):
            statements += len(chunk)
    return code, statements


def run_together(ws: Workspace, operation: Callable[[Workspace], object], count: int
                 ) -> list[int]:
    """``count`` children running ``operation`` at once; their exit codes."""
    pids = [start_child(ws, operation) for _ in range(count)]
    return [wait_child(pid) for pid in pids]


def start_child(ws: Workspace, operation: Callable[[Workspace], object],
                *, trace_fd: int | None = None) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns to pytest
        code = 1
        try:
            store = Store.from_url(ws.store.engine.url.render_as_string(hide_password=False))
            if trace_fd is not None:
                fd = trace_fd

                def traced(*_: object) -> None:
                    os.write(fd, b".")

                event.listen(store.engine, "before_cursor_execute", traced)
            operation(Workspace(store=store, settings=ws.settings))
            code = 0
        finally:
            os._exit(code)
    return pid


def wait_child(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
