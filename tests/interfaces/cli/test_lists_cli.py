"""``parley lists`` end to end: versions, approvals by three agencies, release, signed export
verified offline by ``parley-verify``; and ``parley lists plan`` / ``why``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Role
from parley.services.workspace import Workspace
from parley.verify import run as verify_run
from tests.conftest import Cli

HEADER = ("record_id,family_name,given_name,patronymic,birth_date,category,seriously_wounded,"
          "captivity_start,service_number")
ENTRIES = HEADER + """
A1,Коваленко,Іван,Петрович,1990-03-04,military,true,2014-08-01,A1234567
A2,Шевченко,Олена,Іванівна,1975-11-02,civilian,false,2022-03-10,
A3,Бондар,Петро,,1999-01-01,military,false,2023-05-05,
"""


def test_lists_release_and_signed_export(cli: Cli, ws: Workspace,
                                         tmp_path: Path) -> None:
    for code in ("MOD", "SSU", "OMB"):
        cli.add_user(f"{code.lower()}-analyst", Role.ANALYST, code, "secret")
    cli.as_user("coord", Role.COORDINATOR, "HQ")
    entries = tmp_path / "entries.csv"
    entries.write_text(ENTRIES, encoding="utf-8")
    assert cli("lists", "create", "recv", "--direction", "receive").returncode == 0
    assert cli("lists", "add", "recv", str(entries)).returncode == 0
    done = cli("lists", "set", "recv", "A2", "--status", "held_back", "--reason",
                "judicial proceedings")
    assert done.returncode == 0, done.stderr
    done = cli("lists", "diff", "recv", "1", "2")
    assert "A2" in done.stdout and "held_back" in done.stdout
    bundle = tmp_path / "recv.bundle"
    refused = cli("lists", "export", "recv", "--sign", "-o", str(bundle))
    assert refused.returncode == 4 and "not released" in refused.stderr
    for code in ("mod", "ssu", "omb"):  # each agency's analyst signs in and approves
        assert cli.login(f"{code}-analyst").returncode == 0
        done = cli("lists", "approve", "recv")
        assert done.returncode == 0, done.stderr
        assert f"approved by {code}-analyst" in done.stdout
    assert cli("lists", "release", "recv").returncode == 5  # an analyst may not release
    assert cli.login("coord").returncode == 0
    assert cli("lists", "release", "recv").returncode == 0
    with ws.store.reading() as tx:
        by = {e.action: e.actor for e in tx.scalars(select(AuditEventRow))}
    assert (by["list.create"], by["list.approve"], by["list.release"]) == (
        "coord", "omb-analyst", "coord")
    done = cli("lists", "export", "recv", "--sign", "-o", str(bundle))
    assert done.returncode == 0, done.stderr
    keys = tmp_path / "keys"
    assert cli("audit", "keys", "--out", str(keys)).returncode == 0
    verify = ["bundle", str(bundle), *[x for c in ("MOD", "SSU", "OMB")
                                       for x in ("--key", str(keys / f"{c}.pub"))]]
    code, line = verify_run(verify)
    assert code == 0, line
    assert "recv version 2" in line
    data = bundle.read_bytes()
    bundle.write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
    code, line = verify_run(verify)
    assert code != 0, line


def test_lists_plan_and_why(cli: Cli, tmp_path: Path) -> None:
    entries = tmp_path / "entries.csv"
    entries.write_text(ENTRIES.replace("\n", ",\n").replace("service_number,",
                                                            "service_number,status")
                       .replace("A1234567,", "A1234567,confirmed")
                       .replace("2022-03-10,,", "2022-03-10,,confirmed")
                       .replace("2023-05-05,,", "2023-05-05,,confirmed"), encoding="utf-8")
    for name, direction in (("g", "give"), ("r", "receive")):
        assert cli("lists", "create", name, "--direction", direction).returncode == 0
        done = cli("lists", "add", name, str(entries))
        assert done.returncode == 0, done.stderr
    done = cli("lists", "plan", "--give-list", "g", "--receive-list", "r", "--stages", "2",
                "--max-per-stage", "2")
    assert done.returncode == 0, done.stderr
    assert "3 a side, optimal" in done.stdout
    done = cli("plan", "--give-list", "g", "--receive-list", "r", "--stages", "1",
                "-o", str(tmp_path / "plan.csv"))
    assert done.returncode == 0, done.stderr
    assert "stored as plan 2" in done.stdout
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").startswith("record_id,side,stage")
    done = cli("lists", "why", "A1", "--plan", "1")
    assert "1st of 3 on the give side: first under the rules; stage 1" in done.stdout
