"""Login timing: a known user with a wrong password, an unknown user, and a slowed-down
source, at the real argon2id cost (median and spread of N attempts each, SQLite).

    python bench/login.py [--attempts 20]

The three should cost about the same: an unknown user name is verified against a dummy hash,
so the answer's timing does not tell whether the user exists.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.errors import AuthenticationFailed
from parley.services import accounts
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

PASSWORD = "correct horse battery"


def _time(ws: Workspace, username: str, password: str, source: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(AuthenticationFailed):
        accounts.authenticate(ws, username=username, password=password, source=source)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key="bench",
                            max_failed_logins=1_000_000)
        ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
        init_workspace(ws, actor=LOCAL_OPERATOR)
        accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                             role=Role.ANALYST, agency="MOD")
        cases = {
            "known user, wrong password": ("olena", "wrong password!", "192.0.2.1"),
            "unknown user": ("no-such-user", "wrong password!", "192.0.2.2"),
            "known user, right password": ("olena", PASSWORD, "192.0.2.3"),
        }
        _time(ws, "warm-up", "x", "192.0.2.9")  # the dummy hash is made once per process
        print(f"{'case':<30} {'median ms':>10} {'p10':>8} {'p90':>8}  (n={args.attempts})")
        for label, (user, password, source) in cases.items():
            runs = sorted(_time(ws, user, password, source) for _ in range(args.attempts))
            p10, p90 = runs[len(runs) // 10], runs[(len(runs) * 9) // 10]
            print(f"{label:<30} {statistics.median(runs):>10.1f} {p10:>8.1f} {p90:>8.1f}")
        ws.store.engine.dispose()


if __name__ == "__main__":
    main()
