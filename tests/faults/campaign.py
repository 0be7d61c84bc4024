"""A fault-injection campaign: fork a child per injection, SIGKILL it after a random delay
drawn from the operation's measured duration, then check what the crash left.

The parent imports parley once; each child inherits it, so hundreds of kills cost milliseconds
of start-up each instead of a fresh interpreter's seconds.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from parley.services.workspace import Workspace
from tests.forking import CRASHED, run_child, run_traced

INJECTIONS = int(os.environ.get("PARLEY_TEST_FAULT_INJECTIONS", "50"))
SEED = (int(os.environ.get("PARLEY_TEST_FAULT_SEED", "0"))
        or random.SystemRandom().randrange(1 << 30))


@dataclass
class Step:
    """One operation under test. ``prepare`` (parent) returns the injection's context;
    ``operation`` runs in the child; ``point`` names where the kill landed, read from the
    store; ``check`` asserts the invariants after the crash; ``rerun`` completes the operation
    (parent) and asserts nothing was lost or duplicated."""

    prepare: Callable[[Workspace, int], str]
    operation: Callable[[Workspace, str], object]
    point: Callable[[Workspace, str], str]
    check: Callable[[Workspace, str], None]
    rerun: Callable[[Workspace, str], None]


@dataclass
class Result:
    name: str
    injections: int = 0
    killed: int = 0
    failures: int = 0
    states: Counter[str] = field(default_factory=Counter)  # what the store shows after
    points: Counter[int] = field(default_factory=Counter)  # statements begun (-1: finished)
    measured: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        states = ", ".join(f"{p}: {n}" for p, n in sorted(self.states.items()))
        killed_at = sorted(p for p in self.points if p >= 0)
        span = f"after {killed_at[0]}..{killed_at[-1]} statements" if killed_at else "none"
        return (f"faults {self.name}: injections={self.injections} killed={self.killed} "
                f"failures={self.failures} points={len(killed_at)} ({span}; {states}); "
                f"operation {self.measured * 1000:.0f} ms, campaign {self.seconds:.1f} s, "
                f"seed {SEED}")


def campaign(name: str, ws: Workspace, step: Step, injections: int = INJECTIONS) -> Result:
    rng = random.Random(f"{SEED}:{name}")
    result = Result(name)
    started = time.monotonic()
    # Warm up in the parent (caches, keys, lexicons), so every child starts as warm as the
    # next; then measure the whole operation in a child, not killed.
    context = step.prepare(ws, 0)
    step.operation(ws, context)
    step.check(ws, context)
    for i in (1, 2):  # the slower of two runs, so a loaded machine still sees late kills
        context = step.prepare(ws, i)
        begun = time.perf_counter()
        assert run_child(ws, lambda child, c=context: step.operation(child, c)) == 0
        result.measured = max(result.measured, time.perf_counter() - begun)
        step.check(ws, context)
    for i in range(3, injections + 3):
        context = step.prepare(ws, i)
        delay = rng.uniform(0, result.measured * 1.1)
        code, statements = run_traced(ws, lambda child, c=context: step.operation(child, c),
                                      kill_after=delay)
        result.injections += 1
        result.killed += code == CRASHED
        assert code in (0, CRASHED), f"{name} #{i}: the operation failed (exit {code})"
        result.states[step.point(ws, context)] += 1
        result.points[statements if code == CRASHED else -1] += 1
        try:
            step.check(ws, context)
            step.rerun(ws, context)
            step.check(ws, context)
        except AssertionError:
            result.failures += 1
            raise
    result.seconds = time.monotonic() - started
    return result
