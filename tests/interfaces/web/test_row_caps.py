"""Issue 12: no page sends more than 200 rows at once.

Each paged page here gets more than 200 items of its kind (written straight into the tables, as
the services would leave them: this is about the pages, not the writers) and must show at most
200 rows, yet show rows (so the count could fail), and refuse to be asked for more. Pages capped
elsewhere: one list and its htmx pages, the reconciliation
(``test_need_to_know.py``), the plan of 1,000 a side (``test_exchange_pages.py``, slow), the audit
log (``test_audit_pages.py``), a batch's quarantined rows cut and paged
(``test_imports_paging.py``).
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from sqlalchemy import insert

from parley.adapters.sql.family_tables import AnswerTask, Inquiry
from parley.adapters.sql.identity_tables import IdentityConflict
from parley.adapters.sql.tables import Person, QuarantinedRow, User
from parley.domain.actors import Role
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import (
    PASSWORD,
    TestClient,
    add_quarantine,
    add_record,
    login,
    make_user,
)

MANY = 230
CAP = 200


def _rows(html: str) -> int:
    """Body rows of the page's tables (header rows are in ``<thead>``)."""
    bodies = re.findall(r"<tbody[^>]*>(.*?)</tbody>", html, flags=re.S)
    return sum(len(re.findall(r"<tr[\s>]", body)) for body in bodies)


def _admin(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "boss", Role.ADMIN, "HQ", clearance="top_secret")
    login(client, "boss")


def test_users_page(ws: Workspace, client: TestClient) -> None:
    digest = PasswordHasher().hash(PASSWORD)
    with ws.store.transaction() as tx:
        tx.execute(insert(User), [
            {"username": f"user{i:03d}", "display_name": f"User {i}", "password_hash": digest,
             "role": "analyst", "agency_code": "MOD", "clearance": "restricted"}
            for i in range(MANY)])
    _admin(ws, client)
    first = client.get("/admin/users").text
    assert _rows(first) == CAP
    second = client.get("/admin/users?page=2").text
    assert _rows(second) == MANY + 1 - CAP  # the admin signed in is one more
    assert "user000" in first and "user000" not in second
    assert client.get("/admin/users?page=0").status_code == 422


def test_search_page(ws: Workspace, client: TestClient) -> None:
    for i in range(MANY):
        add_record(ws, family_name="Коваленко", given_name=f"Іван{i}", line_no=i + 2,
                   status="held")
    _admin(ws, client)
    page = client.get("/search", params={"name": "Коваленко", "limit": CAP})
    assert page.status_code == 200 and _rows(page.text) == CAP
    assert client.get("/search", params={"name": "Коваленко", "limit": CAP + 1}
                      ).status_code == 422


def test_review_page_refuses_more_than_200(ws: Workspace, client: TestClient) -> None:
    _admin(ws, client)
    assert client.get("/review?limit=200").status_code == 200
    assert client.get("/review?limit=201").status_code == 422


def test_conflicts_page(ws: Workspace, client: TestClient) -> None:
    record = add_record(ws, family_name="Коваленко", given_name="Іван", status="held")
    with ws.store.transaction() as tx:
        person = Person(display_name="Коваленко Іван", status="held")
        tx.add(person)
        tx.flush()
        tx.execute(insert(IdentityConflict), [
            {"fingerprint": f"{i:064d}", "kind": "birth_date", "person_id": person.id,
             "description": f"two birth dates {i}", "record_ids": [record], "values": []}
            for i in range(MANY)])
    _admin(ws, client)
    page = client.get("/conflicts").text  # one card per conflict, newest first
    assert page.count('aria-label="Conflict ') == CAP
    assert f"two birth dates {MANY - 1}<" in page and "two birth dates 0<" not in page


def _inquiries(ws: Workspace) -> list[int]:
    with ws.store.transaction() as tx:
        ids = [int(i) for i in tx.scalars(insert(Inquiry).returning(Inquiry.id), [
            {"channel": "hotline", "handler": "liaison", "inquirer_name": f"Мати {i}",
             "family_name": "Коваленко", "given_name": f"Іван{i}",
             "content_hash": f"{i:064d}"} for i in range(MANY)])]
    return ids


def test_inquiries_page(ws: Workspace, client: TestClient) -> None:
    _inquiries(ws)
    _admin(ws, client)
    assert _rows(client.get("/inquiries").text) == 100  # 100 a page
    assert _rows(client.get("/inquiries?page=2").text) == MANY - 200


def test_letters_page(ws: Workspace, client: TestClient) -> None:
    ids = _inquiries(ws)
    with ws.store.transaction() as tx:
        tx.execute(insert(AnswerTask), [{"inquiry_id": i, "event": "status_changed",
                                         "detail": "held"} for i in ids])
    _admin(ws, client)
    page = client.get("/answers?state=all").text
    assert _rows(page) == CAP


def test_imports_page(ws: Workspace, client: TestClient) -> None:
    """The newest 50 batches with 4 quarantined rows each; a batch's own page shows 50."""
    batches = [add_quarantine(ws, line_no=n) for n in range(1, 61)]
    with ws.store.transaction() as tx:
        tx.execute(insert(QuarantinedRow), [
            {"batch_id": b, "file_name": "late.csv", "line_no": 100 + n, "field": "row",
             "reason": "bad", "raw": {"line": "x"}, "raw_text": f"row {n}"}
            for b in batches for n in range(60)])
    make_user(ws, "olena", Role.ANALYST, "MOD")  # quarantined rows: the importing agency's
    login(client, "olena")
    overview = client.get("/imports").text
    assert _rows(overview) == CAP and overview.count('<section class="card" id="batch-') == 50
    one = client.get("/imports", params={"batch": batches[0]}).text
    assert _rows(one) == 50 and "1–50 of 61" in one
