"""Formula injection through every CSV export (issue 10, item 8): web exports of the registry
and of a list, ``parley lists export`` (plain and as a user), the plan and the reconciliation
table. The store keeps the raw value."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import update

from parley.adapters.files.csv_export import PLAIN_NUMBER
from parley.adapters.sql.tables import Person, SourceRecord
from parley.domain.actors import Actor, Role
from parley.domain.lists import Entry
from parley.domain.plan import Assignment, Candidate
from parley.services import lists as svc
from parley.services.planning import read_plan, write_plan
from parley.services.reconciliation import ReconcileResult, RowOutcome, reconciliation_csv
from parley.services.workspace import Workspace
from tests.conftest import Cli
from tests.interfaces.web.conftest import PASSWORD, TestClient, add_record, login, make_user

EVIL = {"family_name": '=HYPERLINK("http://evil.example","x")', "given_name": "@SUM(1+1)",
        "patronymic": "+1+1", "notes": "-2+3", "birth_date": "1971-02-03", "status": "held"}


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _no_formula(text: str) -> None:
    cells = _cells(text)
    assert cells, "empty export"
    # a plain signed number ("+7", "-2.5", a phone number) is a number to a spreadsheet
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                and not PLAIN_NUMBER.fullmatch(c)], cells


def test_registry_exports_on_the_web(ws: Workspace, client: TestClient) -> None:
    record = add_record(ws, agency="MOD", **EVIL)
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    for path in ("/search.csv?birth_date=1971-02-03",
                 "/api/search/export.csv?birth_date=1971-02-03",
                 f"/records/{record}.csv", f"/api/records/{record}/export.csv"):
        body = client.get(path).text
        _no_formula(body)
        assert "'" + EVIL["family_name"] in _cells(body), path
    assert client.get(f"/api/records/{record}").json()["family_name"] == EVIL["family_name"]


def test_list_exports_on_the_web(ws: Workspace, operator: Actor, client: TestClient) -> None:
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_entries(ws, actor=operator, name="recv", entries=[Entry(
        key="-1+1", display_name="x", family_name="=cmd|' /C calc'!A0", given_name="\tTab")])
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    body = client.get("/lists/recv.csv").text
    _no_formula(body)
    assert "'=cmd|' /C calc'!A0" in _cells(body)
    stored = svc.list_entries(ws, actor=operator, name="recv")[0]
    assert stored.family_name == "=cmd|' /C calc'!A0" and stored.key == "-1+1"


def test_parley_lists_export_plain_and_as_a_user(cli: Cli, ws: Workspace,
                                                 operator: Actor, tmp_path: Path) -> None:
    def _cli(*args: str) -> tuple[int, str]:
        done = cli(*args)
        return done.returncode, done.stdout + done.stderr

    mod = add_record(ws, agency="MOD", **EVIL)
    diu = add_record(ws, agency="DIU", line_no=3, family_name="Бережний", given_name="Борис",
                     birth_date="1980-01-01", status="held")
    with ws.store.transaction() as tx:
        for rid in (mod, diu):
            p = Person(display_name="someone", status="held")
            tx.add(p)
            tx.flush()
            tx.execute(update(SourceRecord).where(SourceRecord.id == rid).values(person_id=p.id))
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    out = tmp_path / "recv.csv"
    cli.as_user("diu", Role.ANALYST, "DIU", "top_secret")  # reads the intelligence record too
    code, text = _cli("lists", "export", "recv", "-o", str(out))
    assert code == 0, text
    _no_formula(out.read_text(encoding="utf-8"))
    assert "Бережний" in out.read_text(encoding="utf-8")
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    assert cli.login("coord", password=PASSWORD).returncode == 0
    code, text = _cli("lists", "export", "recv", "-o", str(out))
    assert code == 0, text
    exported = out.read_text(encoding="utf-8")
    _no_formula(exported)
    assert "'" + EVIL["family_name"] in _cells(exported) and "Бережний" not in exported
    code, text = _cli("lists", "show", "recv")
    assert code == 0 and "Бережний" not in text


def test_plan_and_reconciliation_tables(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    assignment = Assignment(record_id="=1+1", side="give", stage=1, rank=1,
                            category="military", seriously_wounded=False, reason="@evil()")
    write_plan(plan, [assignment], reasons=True)
    _no_formula(plan.read_text(encoding="utf-8"))
    back = read_plan(plan, {"give": [Candidate(record_id="=1+1", category="military",
                                               seriously_wounded=False, captivity_start=None,
                                               birth_date=None, confirmed=True)],
                            "receive": []})
    assert [a.record_id for a in back] == ["=1+1"]  # read back raw
    table = reconciliation_csv(ReconcileResult(rows=(
        RowOutcome(line=2, outcome="unknown", reason="=HYPERLINK(\"x\")", entry_key="+7"),)))
    _no_formula(table)
