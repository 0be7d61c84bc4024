"""The feature command modules, in the order they appear in ``parley --help``.

A feature adds its module here; each module has ``register(app: typer.Typer) -> None``.
"""

from __future__ import annotations

from types import ModuleType

from parley.interfaces.cli import reconcile as reconcile_cli
from parley.interfaces.cli import lists as lists_cli
from parley.interfaces.cli import audit
from parley.interfaces.cli import resolve as resolve_cli
from parley.interfaces.cli import ingest as ingest_cli
from parley.interfaces.cli import synth as synth_cli
from parley.interfaces.cli import match as match_cli
from parley.interfaces.cli import names as names_cli
from parley.interfaces.cli import plan as plan_cli
from parley.interfaces.cli import serve, users

MODULES: list[ModuleType] = [
    synth_cli,
    ingest_cli,
    audit,
    resolve_cli,
    plan_cli,
    users,
    serve,
    match_cli,
    names_cli,
    lists_cli,
    reconcile_cli,
]
