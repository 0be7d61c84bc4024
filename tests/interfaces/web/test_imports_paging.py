"""Quarantine views are paged and cut (issue 10, item 14): a batch with a huge quarantined row
and many rows gives an analyst a small page, never the stored text whole."""

from __future__ import annotations

import pytest

from parley.adapters.sql.tables import QuarantinedRow
from parley.domain.actors import Role
from parley.services.registry import QUARANTINE_PAGE, QUARANTINE_TEXT
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, add_quarantine, login, make_user


@pytest.fixture
def analyst(ws: Workspace, client: TestClient) -> TestClient:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    return client


def test_quarantine_is_paged_and_cut(ws: Workspace, analyst: TestClient) -> None:
    huge = "Petrenko;" + "x" * 2_000_000  # stored whole, as before the row limit
    batch = add_quarantine(ws, agency="MOD", raw_text=huge, line_no=1)
    with ws.store.transaction() as tx:
        tx.add_all(QuarantinedRow(batch_id=batch, file_name="late.csv", line_no=n,
                                  field="row", reason="bad", raw={"v": "y" * 10_000},
                                  raw_text=f"row {n}") for n in range(2, 122))
    response = analyst.get("/api/imports")
    assert response.status_code == 200 and len(response.content) < 200_000
    (view,) = response.json()
    assert view["quarantined_total"] == 121 and len(view["quarantined"]) == QUARANTINE_PAGE
    first = view["quarantined"][0]
    assert first["raw_text"].startswith("Petrenko;xxx") and "2,000,009 characters" in \
        first["raw_text"] and len(first["raw_text"]) < QUARANTINE_TEXT + 50
    assert len(first["raw"]["line"]) < QUARANTINE_TEXT + 50
    later = analyst.get("/api/imports", params={"batch": batch, "quarantine_offset": 100}).json()
    assert [q["line_no"] for q in later[0]["quarantined"]] == list(range(101, 122))
    page = analyst.get("/imports", params={"batch": batch, "offset": 50})
    assert page.status_code == 200 and len(page.content) < 300_000
    assert "51–100 of 121" in page.text and f"/imports?batch={batch}&amp;offset=100" in page.text
