"""Text from users and files reaches the terminal as text: Rich markup in it is shown as typed
(``[/]`` used to crash ``parley audit log``), ANSI escapes and other control characters are shown
as visible escapes, and a newline cannot start a spoofed second line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.interfaces.cli import common, main
from parley.interfaces.cli.common import plain, safe
from parley.services import lists as list_service
from parley.services.accounts import create_user
from parley.services.journal import record_event
from parley.services.workspace import Workspace
from tests.conftest import Cli

runner = CliRunner()
PASSWORD = "long-password-1"
HOSTILE = ["[/]", "[bold]boss[/bold]", "[link=http://x]y[/link]", "ok\\"]


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A wide console, so a table cell is never folded and each row is one line."""
    monkeypatch.setattr(common.console, "_width", 400)
    yield


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain Шевченко", "plain Шевченко"),
        ("a\nb", "a\\nb"),
        ("a\r\tb", "a\\r\\tb"),
        ("\x1b[2Jgone", "\\x1b[2Jgone"),
        ("bell\x07 del\x7f c1\x9b", "bell\\x07 del\\x7f c1\\x9b"),
        ("rtl\u202eevil\u2066", "rtl\\u202eevil\\u2066"),
        ("line\u2028sep", "line\\u2028sep"),
    ],
)
def test_plain_shows_every_control_character(raw: str, shown: str) -> None:
    assert plain(raw) == shown
    assert all(ch.isprintable() for ch in plain(raw))


def test_safe_escapes_markup_so_rich_shows_it_as_typed() -> None:
    buffer = common.Console(width=200, record=True, force_terminal=False)
    for text in [*HOSTILE, "x\x1b[31my"]:
        buffer.print(safe(text))
    shown = buffer.export_text().splitlines()
    assert shown == [*HOSTILE, "x\\x1b[31my"]


def test_audit_log_shows_hostile_text_as_text(
    ws: Workspace, cli: Cli, wide: None
) -> None:
    for n, name in enumerate(HOSTILE):
        actor = Actor(username=name, role=Role.ANALYST, agency="MOD")
        with ws.store.transaction() as tx:
            record_event(tx, actor=actor, action="auth.login_failed", target=f"t{n}\x1b[2J",
                         payload={"note": "x\n42 2026-01-01 admin user.create forged"})
    result = cli("audit", "log", "--limit", "10")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in HOSTILE:
        assert f" {name} " in out
    assert "\x1b" not in out and "t0\\x1b[2J" in out
    assert "x\\n42 2026-01-01 admin" in out
    assert not any(line.lstrip("│ ").startswith("42 2026") for line in out.splitlines())


def test_users_list_shows_markup_in_names(
    ws: Workspace, cli: Cli, wide: None
) -> None:
    for name in HOSTILE:
        create_user(ws, actor=LOCAL_OPERATOR, username=name, password=PASSWORD,
                    role=Role.ANALYST, agency="MOD")
    result = cli("users", "list")
    assert result.returncode == 0, result.stderr
    for name in HOSTILE:
        assert f" {name} " in result.stdout


def test_lists_show_escapes_names_from_a_file(
    ws: Workspace, cli: Cli, wide: None, tmp_path: Path
) -> None:
    entries = tmp_path / "entries.csv"
    entries.write_text(
        "record_id,family_name,given_name,patronymic,birth_date,category,seriously_wounded,"
        "captivity_start\n"
        "A1,[bold]Коваленко[/bold],\x1b[31mІван,,1990-03-04,military,false,2014-08-01\n"
        "A2,[/],Олена,,1975-11-02,civilian,false,2022-03-10\n", encoding="utf-8")
    list_service.create_list(ws, actor=LOCAL_OPERATOR, name="recv", direction="receive",
                             required_agencies=["MOD"])
    list_service.add_entries(ws, actor=LOCAL_OPERATOR, name="recv",
                             entries=list_service.read_entries_csv(entries), note="test")
    result = cli("lists", "show", "recv")
    assert result.returncode == 0, result.stderr
    assert "[bold]Коваленко[/bold]" in result.stdout and "[/]" in result.stdout
    assert "\x1b" not in result.stdout and "\\x1b[31mІван" in result.stdout


def test_error_line_cannot_spoof_a_second_line(
    ws: Workspace, cli: Cli, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.argv", ["parley", "users", "unlock", "ghost\nerror: forged\x1b[2J"])
    with pytest.raises(SystemExit) as exited:
        main.run()
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "ghost\\nerror: forged\\x1b[2J" in err and "\x1b" not in err


def test_names_variants_show_control_characters_visibly() -> None:
    from parley.interfaces.cli.names import names_app

    result = runner.invoke(names_app, ["variants", "Іван\x1b[2J\nforged"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "Іван\\x1b[2J" in result.output.splitlines()  # the engine splits words at "\\n"
