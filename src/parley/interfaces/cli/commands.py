"""The feature command modules, in the order they appear in ``parley --help``.

A feature adds its module here; each module has ``register(app: typer.Typer) -> None``.
"""

from __future__ import annotations

from types import ModuleType

from parley.interfaces.cli import answers as answers_cli
from parley.interfaces.cli import audit as audit_cli
from parley.interfaces.cli import demo as demo_cli
from parley.interfaces.cli import ingest as ingest_cli
from parley.interfaces.cli import inquiries as inquiries_cli
from parley.interfaces.cli import lists as lists_cli
from parley.interfaces.cli import match as match_cli
from parley.interfaces.cli import names as names_cli
from parley.interfaces.cli import pfif as pfif_cli
from parley.interfaces.cli import plan as plan_cli
from parley.interfaces.cli import reconcile as reconcile_cli
from parley.interfaces.cli import remains as remains_cli
from parley.interfaces.cli import resolve as resolve_cli
from parley.interfaces.cli import serve as serve_cli
from parley.interfaces.cli import synth as synth_cli
from parley.interfaces.cli import users as users_cli

MODULES: list[ModuleType] = [
    demo_cli,
    synth_cli,
    ingest_cli,
    names_cli,
    match_cli,
    resolve_cli,
    inquiries_cli,
    answers_cli,
    pfif_cli,
    remains_cli,
    lists_cli,
    reconcile_cli,
    plan_cli,
    audit_cli,
    users_cli,
    serve_cli,
]
