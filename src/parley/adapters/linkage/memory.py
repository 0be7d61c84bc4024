"""One memory budget for the whole run, Python's frames and DuckDB together.

DuckDB's ``memory_limit`` bounds DuckDB alone; the feature frames of a million-record registry
already take a gigabyte or two of the same process. Scoring, the heaviest query, is therefore
given what the budget leaves after what the process holds besides DuckDB, and spills the rest
to disk instead of pushing the process past the budget.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

MEMORY_BUDGET = os.environ.get("PARLEY_LINKAGE_MEMORY_BUDGET", "3.75GiB")
# DuckDB is never squeezed below this: a query that cannot hold a hash table's partitions fails.
_MIN_DUCKDB = 512 * 2**20
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}  # fmt: skip
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)\s*$")


def size_bytes(text: str) -> int | None:
    """'3GB', '3.5GiB', '800 MiB' → bytes; None for what is not a size."""
    match = _SIZE.match(text.lower())
    if match is None or match.group(2) not in _UNITS:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def resident_bytes() -> int | None:
    """This process's resident memory (Linux); None where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def release() -> None:
    """Hand freed memory back to the system between stages (a full collection first)."""
    gc.collect()
    trim()


def trim() -> None:
    """Return the C allocator's free memory to the system (glibc; elsewhere nothing).

    Converting a million rows of Python strings to Arrow frees them in scattered pieces, which
    glibc keeps unless asked: without this the process stays as large as before, and the next
    column's conversion comes on top. No collection here: with millions of cached name parts
    alive, one costs a second, and a column's strings are freed by reference counting anyway.
    """
    function = _malloc_trim()
    if function is not None:
        function(0)


@cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, looked up at first use: ``find_library`` runs ``ldconfig``,
    which importing the linkage adapter should not pay."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc


def _duckdb_bytes(con: Any) -> int:
    row = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()").fetchone()
    return int(row[0]) if row else 0


def fit_to_budget(api: Any, ceiling: str, budget: str = MEMORY_BUDGET) -> int | None:
    """Set DuckDB's memory limit to the budget less what the rest of the process holds, at
    most ``ceiling``; returns the limit in bytes (None: not DuckDB, or no figure to go by)."""
    con = getattr(api, "duckdb_con", None)
    rss = resident_bytes()
    total, cap = size_bytes(budget), size_bytes(ceiling)
    if con is None or rss is None or total is None:
        return None
    outside = max(rss - _duckdb_bytes(con), 0)
    limit = max(total - outside, _MIN_DUCKDB)
    if cap is not None:
        limit = min(limit, cap)
    con.execute(f"SET memory_limit = '{limit // 2**20}MiB'")
    return limit
