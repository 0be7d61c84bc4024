"""Need-to-know regressions from issue 10: a refused record is reported exactly like a missing
one (item 2), and list pages and exports follow the entries' sources (item 1)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update

from parley.adapters.sql.tables import Person, SourceRecord
from parley.domain.actors import Actor, Role
from parley.services import lists as svc
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, add_record, login, make_user


def _person(ws: Workspace, record_ids: list[int]) -> int:
    with ws.store.transaction() as tx:
        p = Person(display_name="Коваленко Іван", status="held")
        tx.add(p)
        tx.flush()
        tx.execute(update(SourceRecord).where(SourceRecord.id.in_(record_ids))
                   .values(person_id=p.id))
        return int(p.id)


def _shape(data: Any) -> Any:
    """The structure of a JSON answer with its values left out (ids, times, hashes differ)."""
    if isinstance(data, dict):
        return {k: _shape(v) for k, v in sorted(data.items())}
    if isinstance(data, list):
        return [_shape(v) for v in data]
    return type(data).__name__


def test_a_refused_record_is_reported_like_a_missing_one(ws: Workspace,
                                                         client: TestClient) -> None:
    fields = {"family_name": "Коваленко", "given_name": "Іван", "birth_date": "1990-01-01",
              "status": "held"}
    both = _person(ws, [add_record(ws, agency="MOD", **fields),
                        add_record(ws, agency="DIU", line_no=3, **fields)])
    alone = _person(ws, [add_record(ws, agency="MOD", line_no=4, source="mod-other", **fields)])
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    with_refused = client.get(f"/api/persons/{both}").json()
    without = client.get(f"/api/persons/{alone}").json()
    assert "hidden_records" not in with_refused
    assert _shape(with_refused) == _shape(without)
    assert len(with_refused["records"]) == 1
    page = client.get(f"/persons/{both}").text
    assert "withheld from you" not in page and "more withheld" not in page


def test_list_page_and_export_follow_the_entries_sources(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    mod = _person(ws, [add_record(ws, agency="MOD", family_name="Андрієнко",
                                  given_name="Антон", status="held")])
    diu = _person(ws, [add_record(ws, agency="DIU", family_name="Бережний",
                                  given_name="Борис", status="held", capture_date="2022-04-04")])
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    make_user(ws, "coord-diu", Role.COORDINATOR, "DIU")
    login(client, "coord")
    page = client.get("/lists/recv")
    assert "Андрієнко" in page.text and f">P{mod}<" in page.text
    # Entry ids as shown in a cell: a bare "P2" can occur inside a CSRF token.
    assert "Бережний" not in page.text and f">P{diu}<" not in page.text
    assert "proposed 1" in page.text  # counts made from what the reader sees
    export = client.get("/lists/recv.csv")
    assert export.status_code == 200
    assert "Андрієнко" in export.text and "Бережний" not in export.text
    client.post("/logout")
    login(client, "coord-diu")
    assert "Бережний" in client.get("/lists/recv").text
    assert "Бережний" in client.get("/lists/recv.csv").text


def test_list_entries_link_only_the_records_the_reader_may_open(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    """Issue 12: an entry links to the record(s) it was drawn from; a record the reader may not
    open (another's secret record of the same person, an intelligence record, any record for a
    role that reads no records) is neither linked nor counted, on the page or in the API."""
    held = {"status": "held", "birth_date": "1990-01-01"}
    mod = add_record(ws, agency="MOD", family_name="Андрієнко", given_name="Антон", **held)
    secret = add_record(ws, agency="MOD", classification="secret", source="mod-secret",
                        family_name="Андрієнко", given_name="Антон", **held)
    diu = add_record(ws, agency="DIU", family_name="Бережний", given_name="Борис", **held)
    _person(ws, [mod, secret])
    _person(ws, [diu])
    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_from_registry(ws, actor=operator, name="recv")
    make_user(ws, "coord", Role.COORDINATOR, "HQ", clearance="secret")
    make_user(ws, "coord-low", Role.COORDINATOR, "HQ", clearance="restricted")
    make_user(ws, "coord-diu", Role.COORDINATOR, "DIU", clearance="restricted")
    make_user(ws, "convoy", Role.LOGISTICS, "MOI")

    def links(username: str) -> tuple[set[str], list[list[int]]]:
        login(client, username)
        page = client.get("/lists/recv").text
        api = client.get("/api/lists/recv").json()["entries"]
        client.post("/logout")
        return set(re.findall(r'href="/records/(\d+)"', page)), [e["records"] for e in api]

    # The draw takes each person's least restricted record: the secret one is not a source.
    assert links("coord") == ({str(mod)}, [[mod]])
    assert links("coord-low") == ({str(mod)}, [[mod]])
    page_links, api_links = links("coord-diu")
    assert page_links == {str(mod), str(diu)} and sorted(api_links) == [[mod], [diu]]
    # Logistics read the list (names, for the convoy) but no record.
    login(client, "convoy")
    page = client.get("/lists/recv")
    assert page.status_code == 200 and "Андрієнко" in page.text
    assert "/records/" not in page.text
    assert [e["records"] for e in client.get("/api/lists/recv").json()["entries"]] == [[]]


def test_list_pages_are_paged_filtered_and_sorted(ws: Workspace, operator: Actor,
                                                   client: TestClient) -> None:
    from parley.domain.lists import Entry, Status

    svc.create_list(ws, actor=operator, name="big", direction="give")
    svc.add_entries(ws, actor=operator, name="big", entries=[
        Entry(key=f"G{i:04d}", display_name=f"Name {i:04d}",
              status=Status.CONFIRMED if i % 2 else Status.PROPOSED) for i in range(450)])
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    first = client.get("/lists/big")
    assert first.text.count("<tr>") - 1 == 200  # header row + 200 entries
    assert "G0000" in first.text and "G0200" not in first.text and "page 1 of 3" in first.text
    third = client.get("/lists/big?page=3")
    assert "G0449" in third.text and "G0000" not in third.text
    rows = client.get("/lists/big?page=2", headers={"HX-Request": "true"}).text
    assert "<html" not in rows and "G0200" in rows and 'hx-get="?page=3' in rows
    confirmed = client.get("/lists/big?status=confirmed&sort=name").text
    assert "G0001" in confirmed and "G0000" not in confirmed and "225 entries" in confirmed
    found = client.get("/lists/big?q=Name 0042").text
    assert "G0042" in found and "1 entry" in found


def test_reconciliation_page_is_paged(ws: Workspace, operator: Actor,
                                      client: TestClient) -> None:
    from sqlalchemy import select

    from parley.adapters.sql.exchange_tables import (
        ExchangeList,
        Reconciliation,
        ReconciliationRow,
    )
    from parley.domain.lists import Entry

    svc.create_list(ws, actor=operator, name="recv", direction="receive")
    svc.add_entries(ws, actor=operator, name="recv", entries=[Entry(key="R1", display_name="x")])
    with ws.store.transaction() as tx:
        lst = tx.scalars(select(ExchangeList).where(ExchangeList.name == "recv")).one()
        rec = Reconciliation(list_id=lst.id, list_version=1, file_name="a.csv",
                             file_sha256="0" * 64, created_by="t", counts={})
        tx.add(rec)
        tx.flush()
        tx.add_all(ReconciliationRow(reconciliation_id=rec.id, line_no=n, outcome="unknown",
                                     reason="matches nobody", raw={"Фамилия": f"Row{n:03d}"})
                   for n in range(2, 252))
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    first = client.get("/lists/recv/reconciliation").text
    assert "Row002" in first and "Row201" in first and "Row202" not in first
    assert "Page 1 of 2 (250 rows)" in first and "unknown 250" in first
    second = client.get("/lists/recv/reconciliation?page=2").text
    assert "Row202" in second and "Row251" in second and "Row201" not in second
