"""``parley lists`` end to end: versions, approvals by three agencies, release, signed export
verified offline by ``parley-verify``; and ``parley lists plan`` / ``why``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.errors import ParleyError
from parley.interfaces.cli import main
from parley.services.accounts import create_user
from parley.services.workspace import Workspace
from parley.verify import run as verify_run

PASSWORD = "long-password-1"
HEADER = ("record_id,family_name,given_name,patronymic,birth_date,category,seriously_wounded,"
          "captivity_start,service_number")
ENTRIES = HEADER + """
A1,Коваленко,Іван,Петрович,1990-03-04,military,true,2014-08-01,A1234567
A2,Шевченко,Олена,Іванівна,1975-11-02,civilian,false,2022-03-10,
A3,Бондар,Петро,,1999-01-01,military,false,2023-05-05,
"""


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def _run(*args: str, stdin: str = "") -> Done:
    """The real CLI in process (a subprocess per call is too slow on a shared machine); a
    ParleyError becomes its exit code and one line, as ``main.run`` does."""
    if not any(g.name == "lists" for g in main.app.registered_groups):
        main._register()
    result = CliRunner().invoke(main.app, list(args), input=stdin)
    if isinstance(result.exception, ParleyError):
        return Done(result.exception.exit_code, result.stdout, f"error: {result.exception}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, "")


def test_lists_release_and_signed_export(cli_env: dict[str, str], ws: Workspace,
                                         tmp_path: Path) -> None:
    for code in ("MOD", "SSU", "OMB"):
        create_user(ws, actor=LOCAL_OPERATOR, username=f"{code.lower()}-analyst",
                    password=PASSWORD, role=Role.ANALYST, agency=code)
    entries = tmp_path / "entries.csv"
    entries.write_text(ENTRIES, encoding="utf-8")
    assert _run("lists", "create", "recv", "--direction", "receive").returncode == 0
    assert _run("lists", "add", "recv", str(entries)).returncode == 0
    done = _run("lists", "set", "recv", "A2", "--status", "held_back", "--reason",
                "judicial proceedings")
    assert done.returncode == 0, done.stderr
    done = _run("lists", "diff", "recv", "1", "2")
    assert "A2" in done.stdout and "held_back" in done.stdout
    bundle = tmp_path / "recv.bundle"
    refused = _run("lists", "export", "recv", "--sign", "-o", str(bundle))
    assert refused.returncode == 4 and "not released" in refused.stderr
    for code in ("mod", "ssu", "omb"):
        done = _run("lists", "approve", "recv", "--user", f"{code}-analyst",
                    stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
    assert _run("lists", "release", "recv").returncode == 0
    done = _run("lists", "export", "recv", "--sign", "-o", str(bundle))
    assert done.returncode == 0, done.stderr
    keys = tmp_path / "keys"
    assert _run("audit", "keys", "--out", str(keys)).returncode == 0
    verify = ["bundle", str(bundle), *[x for c in ("MOD", "SSU", "OMB")
                                       for x in ("--key", str(keys / f"{c}.pub"))]]
    code, line = verify_run(verify)
    assert code == 0, line
    assert "recv version 2" in line
    data = bundle.read_bytes()
    bundle.write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
    code, line = verify_run(verify)
    assert code != 0, line


def test_lists_plan_and_why(cli_env: dict[str, str], tmp_path: Path) -> None:
    entries = tmp_path / "entries.csv"
    entries.write_text(ENTRIES.replace("\n", ",\n").replace("service_number,",
                                                            "service_number,status")
                       .replace("A1234567,", "A1234567,confirmed")
                       .replace("2022-03-10,,", "2022-03-10,,confirmed")
                       .replace("2023-05-05,,", "2023-05-05,,confirmed"), encoding="utf-8")
    for name, direction in (("g", "give"), ("r", "receive")):
        assert _run("lists", "create", name, "--direction", direction).returncode == 0
        done = _run("lists", "add", name, str(entries))
        assert done.returncode == 0, done.stderr
    done = _run("lists", "plan", "--give-list", "g", "--receive-list", "r", "--stages", "2",
                "--max-per-stage", "2")
    assert done.returncode == 0, done.stderr
    assert "3 a side, optimal" in done.stdout
    done = _run("plan", "--give-list", "g", "--receive-list", "r", "--stages", "1",
                "-o", str(tmp_path / "plan.csv"))
    assert done.returncode == 0, done.stderr
    assert "stored as plan 2" in done.stdout
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").startswith("record_id,side,stage")
    done = _run("lists", "why", "A1", "--plan", "1")
    assert "1st of 3 on the give side: first under the rules; stage 1" in done.stdout
