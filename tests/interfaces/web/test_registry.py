"""Registry search, the source-record page, the imports page and the JSON API with tokens."""

from __future__ import annotations

import csv
import io

import pytest

from parley.domain.actors import Action, Role
from parley.services import accounts
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import (
    TestClient,
    add_quarantine,
    add_record,
    login,
    make_user,
)


@pytest.fixture
def analyst(ws: Workspace, client: TestClient) -> TestClient:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    return client


def test_search_by_family_name_birth_date_and_number(ws: Workspace, analyst: TestClient) -> None:
    hit = add_record(ws, family_name="Petrenko", given_name="Ivan", birth_date="1990-05-12",
                     service_number="AB123456", document_number="XY 777")
    other = add_record(ws, family_name="Shevchenko", given_name="Ivan", birth_date="1990-05-12",
                       service_number="ZZ000001", line_no=3)
    partial = add_record(ws, family_name="Koval", given_name="Oleh", birth_date="1990",
                         line_no=4)

    def found(**params: str) -> set[int]:
        return {r["id"] for r in analyst.get("/api/search", params=params).json()["records"]}

    page = analyst.get("/search", params={"name": "petrenko"})
    assert f'href="/records/{hit}"' in page.text and f'href="/records/{other}"' not in page.text
    assert found(name="PETRENKO") == {hit}
    assert found(birth_date="1990") == {hit, other, partial}
    assert found(birth_date="1990-05") == {hit, other, partial}
    assert found(birth_date="12.05.1990") == {hit, other, partial}  # 1990 may be that day
    assert found(birth_date="1991") == set()
    both = analyst.get("/search", params={"name": "Ivan Petrenko", "birth_date": "12.05.1990"})
    assert "1 record found" in both.text and f'href="/records/{hit}"' in both.text
    assert found(number="ab-123456") == {hit}
    assert found(number="AB123456") == {hit}
    assert found(number="xy 777") == {hit}
    assert found(name="Koval", number="AB123456") == set()
    none = analyst.get("/search", params={"name": "Bondar"}).text
    assert "No record you may see matches" in none


def test_bad_search_input_is_explained_not_echoed(ws: Workspace, analyst: TestClient) -> None:
    page = analyst.get("/search", params={"birth_date": "31.02.1990"})
    assert "birth date: use 1990-05-12" in page.text
    api = analyst.get("/api/search", params={"birth_date": "not-a-date"})
    assert api.status_code == 422 and "not-a-date" not in api.text


def test_search_finds_a_record_by_another_scripts_spelling(ws: Workspace,
                                                          analyst: TestClient) -> None:
    record = add_record(ws, family_name="Петренко", given_name="Іван", patronymic="Петрович")
    add_record(ws, family_name="Коваленко", given_name="Іван", line_no=3)
    for spelling in ("Petrenko", "PETRENKO Ivan", "Петренко Иван", "Ivan Petrenko"):
        found = analyst.get("/api/search", params={"name": spelling}).json()["records"]
        assert [r["id"] for r in found] == [record], spelling


def test_htmx_search_returns_only_the_results(ws: Workspace, analyst: TestClient) -> None:
    record = add_record(ws, family_name="Petrenko", given_name="Ivan")
    fragment = analyst.get("/search", params={"name": "Petrenko"}, headers={"HX-Request": "1"})
    assert f'href="/records/{record}"' in fragment.text and "<html" not in fragment.text


def test_record_page_shows_raw_row_and_provenance(ws: Workspace, analyst: TestClient) -> None:
    record = add_record(ws, family_name="Petrenko", given_name="Ivan", line_no=42,
                        raw={"Військова частина": "A1234"}, notes="seen in a video")
    page = analyst.get(f"/records/{record}")
    assert page.status_code == 200
    for expected in ("Військова частина", "A1234", "mod-register.csv", ">42<", "B2",
                     "restricted", "MOD", "seen in a video", "Content hash"):
        assert expected in page.text, expected
    data = analyst.get(f"/api/records/{record}").json()
    assert data["raw"]["Військова частина"] == "A1234" and data["line_no"] == 42
    assert len(data["content_hash"]) == 64 and data["withheld"] == []
    missing = analyst.get("/records/999999")
    assert missing.status_code == 404 and "no source record 999999" in missing.text


def test_imports_page_shows_quarantined_rows(ws: Workspace, analyst: TestClient) -> None:
    batch = add_quarantine(ws, agency="MOD", reason="birth_date: cannot read '31.02.1990'",
                           raw_text="Petrenko;Ivan;31.02.1990", line_no=17)
    page = analyst.get("/imports")
    assert f'id="batch-{batch}"' in page.text
    assert "cannot read &#39;31.02.1990&#39;" in page.text and ">17<" in page.text
    assert "1 quarantined" in page.text
    api = analyst.get("/api/imports").json()
    assert api[0]["quarantined"][0]["line_no"] == 17 and api[0]["quarantined_total"] == 1


def test_another_agencys_quarantined_rows_are_withheld(ws: Workspace, analyst: TestClient
                                                       ) -> None:
    add_quarantine(ws, agency="MOI", reason="status: 'секретно' unknown", raw_text="secret-row")
    page = analyst.get("/imports")
    assert "withheld from you" in page.text and "secret-row" not in page.text


def test_csv_export_of_search_and_record(ws: Workspace, analyst: TestClient) -> None:
    record = add_record(ws, family_name="Petrenko", given_name="Ivan", service_number="S-1")
    body = analyst.get("/search.csv", params={"name": "Petrenko"})
    assert body.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.text)))
    assert rows[0]["family_name"] == "Petrenko" and rows[0]["service_number"] == "S-1"
    single = list(csv.DictReader(io.StringIO(analyst.get(f"/records/{record}.csv").text)))
    assert single[0]["id"] == str(record)


def test_api_tokens_work_within_their_scopes(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    actor = accounts.authenticate(ws, username="olena", password="correct horse battery")
    record = add_record(ws, family_name="Petrenko", given_name="Ivan")
    issued = accounts.create_api_token(ws, actor=actor, name="reader",
                                       scopes=frozenset({Action.READ_RECORD}))
    bearer = {"Authorization": f"Bearer {issued.token}"}
    assert client.get(f"/api/records/{record}", headers=bearer).status_code == 200
    refused = client.get("/api/search", params={"name": "Petrenko"}, headers=bearer)
    assert refused.status_code == 403 and "scopes" in refused.json()["error"]
    me = client.get("/api/me", headers=bearer).json()
    assert me["scopes"] == ["read_record"] and me["username"] == "olena"
    assert client.get("/api/me", headers={"Authorization": "Bearer prl_nope"}).status_code == 401
    accounts.revoke_api_token(ws, actor=actor, token_id=accounts.list_api_tokens(
        ws, actor=actor)[0].id)
    assert client.get(f"/api/records/{record}", headers=bearer).status_code == 401


def test_token_scopes_are_capped_by_the_role(ws: Workspace) -> None:
    make_user(ws, "lev", Role.LOGISTICS, "HQ")
    actor = accounts.authenticate(ws, username="lev", password="correct horse battery")
    issued = accounts.create_api_token(ws, actor=actor, name="all",
                                       scopes=accounts.parse_scopes("all"))
    assert Action.INGEST.value not in issued.scopes
    assert Action.HANDOVER.value in issued.scopes


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/records/{record_id}" in spec["paths"]
    assert "/login" not in spec["paths"]


def test_logistics_see_identity_without_links_to_what_they_may_not_open(
        ws: Workspace, client: TestClient) -> None:
    make_user(ws, "lev", Role.LOGISTICS, "HQ")
    login(client, "lev")
    record = add_record(ws, family_name="Petrenko", given_name="Ivan", notes="from a source")
    page = client.get("/search", params={"name": "Petrenko"}).text
    assert "<td>Petrenko</td>" in page and "withheld" in page
    assert f"/records/{record}" not in page and "Export as CSV" not in page
    assert client.get(f"/records/{record}").status_code == 403
    assert "from a source" not in client.get("/api/search", params={"name": "Petrenko"}).text


def test_api_reference_page_needs_no_cdn(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and "<code>/api/search</code>" in page.text
    assert "http" not in page.text.split("<body")[0].replace("http-equiv", "")
    assert "cdn" not in page.text.lower()
