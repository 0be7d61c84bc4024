"""Web test helpers: an in-process client, users, records inserted straight into the store."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher

from parley.adapters.sql.tables import ImportBatch, QuarantinedRow, Source, SourceRecord
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.domain.records import content_hash
from parley.interfaces.web.app import create_app
from parley.names import normalize_name
from parley.services import accounts, passwords
from parley.services.workspace import Workspace

with warnings.catch_warnings():
    # Starlette asks for 'httpx2'; the httpx it finds works the same for in-process tests.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, with the smallest cost: tests hash and verify many passwords on a busy
    machine, and the cost parameters are argon2's concern, not what these tests check."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def client(ws: Workspace) -> Iterator[TestClient]:
    """A browser that prefers English (the app's default is Ukrainian; tests that check the
    Ukrainian interface ask for it, see test_i18n.py)."""
    with TestClient(create_app(ws), base_url="http://testserver",
                    headers={"Accept-Language": "en"}) as test_client:
        yield test_client


def make_user(ws: Workspace, username: str, role: Role = Role.ANALYST, agency: str = "MOD",
              clearance: str = "secret") -> None:
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username=username, password=PASSWORD,
                         role=role, agency=agency, clearance=clearance)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)




def add_record(ws: Workspace, *, agency: str = "MOD", classification: str = "restricted",
               source: str | None = None, line_no: int = 2, **fields: Any) -> int:
    """Insert one source record (and its source and batch) as ingest would leave it."""
    raw = {"Surname": fields.get("family_name", ""), "Name": fields.get("given_name", ""),
           **fields.pop("raw", {})}
    name = source or f"{agency.lower()}-register"
    with ws.store.transaction() as tx:
        src = tx.query(Source).filter_by(name=name).one_or_none()
        if src is None:
            src = Source(name=name, agency_code=agency, classification=classification,
                         reliability="B2")
            tx.add(src)
            tx.flush()
        batch = ImportBatch(source_id=src.id, agency_code=agency, file_name=f"{name}.csv",
                            file_sha256="0" * 64, file_format="csv", encoding="utf-8",
                            delimiter=",", classification=classification, reliability="B2",
                            actor="local-operator", rows_read=1, rows_imported=1)
        tx.add(batch)
        tx.flush()
        keys = _keys(fields)
        record = SourceRecord(
            source_id=src.id, batch_id=batch.id, agency_code=agency, file_name=batch.file_name,
            line_no=line_no, raw=raw, raw_text=",".join(str(v) for v in raw.values()),
            content_hash=content_hash(raw), classification=classification, reliability="B2",
            **keys, **fields)
        tx.add(record)
        tx.flush()
        return int(record.id)


def add_quarantine(ws: Workspace, *, agency: str = "MOD", reason: str = "bad date",
                   raw_text: str = "x;y", line_no: int = 7, field: str = "birth_date") -> int:
    with ws.store.transaction() as tx:
        src = Source(name=f"q-{agency}-{line_no}", agency_code=agency)
        tx.add(src)
        tx.flush()
        batch = ImportBatch(source_id=src.id, agency_code=agency, file_name="late.csv",
                            file_sha256="1" * 64, file_format="csv", actor="local-operator",
                            rows_read=3, rows_imported=2, rows_quarantined=1)
        tx.add(batch)
        tx.flush()
        tx.add(QuarantinedRow(batch_id=batch.id, file_name="late.csv", line_no=line_no,
                              field=field, reason=reason, raw={"line": raw_text},
                              raw_text=raw_text))
        return int(batch.id)


def _keys(fields: dict[str, Any]) -> dict[str, str]:
    """The cross-script keys ingest stores."""
    normal = normalize_name(fields.get("family_name", ""), fields.get("given_name", ""),
                            fields.get("patronymic", ""))
    return {"family_key": normal.family_key, "given_key": normal.given_key,
            "patronymic_key": normal.patronymic_key}
