"""The README documents every command and every setting (checked against the real CLI)."""

from __future__ import annotations

from pathlib import Path

import typer.main

from parley.config import Settings
from parley.interfaces.cli.main import _register, app

README = Path(__file__).resolve().parents[1] / "README.md"


def _command_paths() -> list[str]:
    _register()
    root = typer.main.get_command(app)
    paths = []
    for name, command in getattr(root, "commands", {}).items():
        if command.hidden:
            continue
        paths.append(f"parley {name}")
        subcommands = getattr(command, "commands", {})  # a group (Typer vendors its own click)
        paths.extend(f"parley {name} {sub}" for sub, c in subcommands.items() if not c.hidden)
    return paths


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    paths = _command_paths()
    assert len(paths) > 20
    missing = [p for p in paths if p not in text]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [f"PARLEY_{name.upper()}" for name in Settings.model_fields
               if f"PARLEY_{name.upper()}" not in text]
    assert missing == []


def test_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
