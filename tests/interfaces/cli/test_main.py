"""The command line speaks in sentences: help is clear, an error is one line and an exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _parley(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env=full_env, timeout=120, check=False,
    )


def test_help_lists_commands() -> None:
    result = _parley("--help")
    assert result.returncode == 0
    assert "init" in result.stdout


def test_uninitialised_database_is_one_line_error(tmp_path: Path) -> None:
    result = _parley("init", env={"PARLEY_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_init_creates_sqlite_in_data_dir(tmp_path: Path) -> None:
    env = {"PARLEY_DATA_DIR": str(tmp_path / "d"), "PARLEY_DATABASE_URL": ""}
    result = _parley("init", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d" / "parley.db").exists()


def test_help_imports_no_feature_module() -> None:
    """`parley --help` lists every command from the static table, importing no feature."""
    probe = (
        "import sys\n"
        "from parley.interfaces.cli.main import run\n"
        "sys.argv = ['parley', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('parley.services.workspace', 'sqlalchemy', 'splink', 'pandas')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=False)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
    from parley.interfaces.cli.commands import COMMANDS
    for entry in COMMANDS:
        assert f"  {entry.name} " in result.stdout


def test_command_table_matches_the_real_commands() -> None:
    """Each static help line is the command's own, and every registered command is listed."""
    import typer

    from parley.interfaces.cli import commands

    registered: dict[str, str] = {}
    for module in commands.modules():
        scratch = typer.Typer()

        @scratch.callback()
        def _group() -> None:
            """Scratch."""

        module.register(scratch)
        group = typer.main.get_group(scratch)
        registered.update({name: c.get_short_help_str(limit=10_000)
                           for name, c in group.commands.items()})
    table = {entry.name: entry.help for entry in commands.COMMANDS}
    assert registered == table


def test_an_unknown_command_is_refused() -> None:
    result = _parley("no-such-command")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_a_refusal_speaks_the_terminals_language() -> None:
    """PARLEY_LANGUAGE, else the POSIX locale, picks Ukrainian; anything else stays English."""
    from parley.errors import N_, UnreadableFile
    from parley.interfaces.cli.main import error_line

    err = UnreadableFile(N_("%(path)s: not UTF-8 text"), path="roster.csv")
    assert error_line(err, {}) == "error: roster.csv: not UTF-8 text"
    assert error_line(err, {"LANG": "C.UTF-8"}) == "error: roster.csv: not UTF-8 text"
    uk = "помилка: roster.csv: це не текст UTF-8"
    assert error_line(err, {"LANG": "uk_UA.UTF-8"}) == uk
    assert error_line(err, {"LC_ALL": "uk_UA.UTF-8", "LANG": "en_GB.UTF-8"}) == uk
    assert error_line(err, {"PARLEY_LANGUAGE": "en", "LANG": "uk_UA.UTF-8"}).startswith("error:")
    assert error_line(err, {"PARLEY_LANGUAGE": "uk"}) == uk
