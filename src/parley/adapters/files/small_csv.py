"""Small UTF-8 CSV files a person prepares by hand (a plan's candidates, vehicles, routes, a
roster), read whole with the errors every such reader gives.

These are not registry imports (no encoding detection, no quarantine): a file that cannot be
read, is not UTF-8 or lacks a column is refused as a whole with its name and line, so the
person fixes it and tries again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from parley.errors import N_, InvalidInput, UnreadableFile


@contextmanager
def small_csv(path: Path, required: Sequence[str] = ()) -> Iterator[csv.DictReader[str]]:
    """The file's rows by header; ``required`` columns must all be in its header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    N_("%(path_name)s, line 1: missing column(s) %(missing)s"),
                    path_name=path.name, missing=', '.join(missing),
                )
            yield reader
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: %(strerror)s"),
            path=path, strerror=err.strerror or err,
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFile(N_("%(path)s: not UTF-8 text"), path=path) from None
