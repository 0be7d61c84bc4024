"""The feature commands, in the order they appear in ``parley --help``, loaded only when used.

Each entry names a command, the module whose ``register(app: typer.Typer)`` attaches it, and its
one-line help. ``parley --help`` prints the table without importing any feature module, and
``parley names compare`` imports only the names module: start-up stays cheap however many
features Parley grows. ``tests/interfaces/cli/test_main.py`` checks the table against the real
commands, so a help line here cannot drift from the command's own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import typer
import typer.main
from typer import _click as click  # Typer vendors its own click (typer >= 0.29)


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    module: str
    help: str


_CLI = "parley.interfaces.cli."

COMMANDS: tuple[Entry, ...] = (
    Entry("demo", _CLI + "demo",
          "Build a demo workspace with synthetic data, run every stage, print a summary, serve."),
    Entry("synth", _CLI + "synth",
          "Write the agencies' source files (MOD, MOI, DIU, SSU, OMB and the other side's list) "
          "about the same synthetic people, with the variation real records have, plus truth.csv "
          "(source, record_id, person_id) and manifest.json (files, agency, source, "
          "reliability)."),
    Entry("ingest", _CLI + "ingest",
          "Import a file of person records: headers in English, Ukrainian or Russian map onto the "
          "canonical schema; each row is validated; bad rows go to quarantine with line and "
          "reason; a re-import of the same file adds nothing."),
    Entry("names", _CLI + "names",
          "Name engine: spellings of a name across scripts and standards, and name comparison."),
    Entry("match", _CLI + "match",
          "Link LEFT.csv with RIGHT.csv into left_id,right_id,match_probability pairs, or with "
          "--dedupe cluster one file into record_id,cluster_id."),
    Entry("resolve", _CLI + "resolve",
          "Link source records into persons (incrementally), raise conflicts, verify identities."),
    Entry("review", _CLI + "resolve",
          "The review queue: uncertain pairs and reviewers' decisions."),
    Entry("conflicts", _CLI + "resolve",
          "Contradictions between sources that a person must settle."),
    Entry("persons", _CLI + "resolve", "Resolved persons: records, evidence, verification."),
    Entry("lists", _CLI + "lists",
          "Exchange lists: entries, statuses, versions, sign-off, export."),
    Entry("reconcile", _CLI + "reconcile",
          "Link every row to our list and registry and classify it: confirmed, duplicate, on our "
          "registry but not on this list, doubtful (needs review) or unknown; and report the "
          "entries the answer did not mention."),
    Entry("plan", _CLI + "plan",
          "Plan a staged exchange that keeps parity, and substitute drop-outs."),
    Entry("transport", _CLI + "transport",
          "Vehicles, manifests and stage kits for the exchange day."),
    Entry("stage", _CLI + "stage",
          "The exchange day: check-in, parity board, incidents, closing a stage with its signed "
          "protocol."),
    Entry("inquiries", _CLI + "inquiries",
          "Relatives' inquiries: import, link to persons, export."),
    Entry("answers", _CLI + "answers", "Answers to families: tasks, letters (PDF), the outbox."),
    Entry("remains", _CLI + "remains", "The dead: repatriations, forensic cases, lab matches."),
    Entry("pfif", _CLI + "pfif",
          "PFIF 1.4 import and export (People Finder Interchange Format)."),
    Entry("audit", _CLI + "audit",
          "The tamper-evident audit log: verify it, sign checkpoints, prove events, read "
          "history."),
    Entry("login", _CLI + "login",
          "Sign in to this workspace; later commands act as you (a 30-day token, saved 0600)."),
    Entry("logout", _CLI + "login",
          "Sign out of this workspace: the saved token is revoked and its file deleted."),
    Entry("whoami", _CLI + "login",
          "Who the commands act as on this workspace, and through which login."),
    Entry("users", _CLI + "users", "Manage user accounts."),
    Entry("serve", _CLI + "serve",
          "Serve the web app and the JSON API (docs at /api/docs) until Ctrl-C (an "
          "administrator, signed in with 'parley login' or PARLEY_TOKEN)."),
)

BY_NAME: dict[str, Entry] = {entry.name: entry for entry in COMMANDS}


def modules() -> list[ModuleType]:
    """Every feature module, imported (for the docs test and for a full registration)."""
    seen: dict[str, ModuleType] = {}
    for entry in COMMANDS:
        if entry.module not in seen:
            seen[entry.module] = importlib.import_module(entry.module)
    return list(seen.values())


@cache
def _commands_of(module_name: str) -> dict[str, click.Command]:
    """The click commands one feature module registers, built on a scratch Typer app."""
    scratch = typer.Typer(rich_markup_mode=None)

    @scratch.callback()
    def _group() -> None:  # a callback keeps a one-command app a group
        """Scratch group."""

    importlib.import_module(module_name).register(scratch)
    group = typer.main.get_group(scratch)
    return dict(group.commands)


def load(name: str) -> click.Command | None:
    """The command called ``name``, importing only the module that defines it."""
    entry = BY_NAME.get(name)
    if entry is None:
        return None
    return _commands_of(entry.module).get(name)
