"""Importing from the browser: upload, a background import the page polls, the counts, the
quarantined rows as CSV; the API's multipart import; size and format limits."""

from __future__ import annotations

import csv
import io
import time

import pytest

from parley.domain.actors import Role
from parley.services import import_jobs
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user

HEADER = "Record ID,Surname,Name,Patronymic,Date of birth,Sex,Status\n"


def _file(good: int, bad: int) -> bytes:
    rows = [f"R{i},Koval{i},Ivan,Petrovych,1990-05-01,M,POW\n" for i in range(good)]
    rows += [f"B{i},Koval,Ivan,,31.02.1990,M,POW\n" for i in range(bad)]
    return (HEADER + "".join(rows)).encode("utf-8")


def _form(csrf: str, **extra: str) -> dict[str, str]:
    return {"csrf_token": csrf, "source": "mod-register", "agency": "MOD",
            "classification": "restricted", "reliability": "B2", **extra}


def _wait(client: TestClient, job_url: str) -> str:
    for _ in range(200):
        fragment = client.get(job_url + "/progress").text
        if 'hx-trigger="every 1s"' not in fragment:
            return fragment
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def test_upload_runs_in_background_and_reports(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    form = client.get("/imports/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    started = client.post("/imports/new", data=_form(csrf_of(form.text)),
                          files={"file": ("mod.csv", _file(40, 3), "text/csv")},
                          follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/imports/jobs/")
    page = client.get(started.headers["location"])
    assert page.status_code == 200 and "mod.csv" in page.text
    done = _wait(client, started.headers["location"])
    assert "Finished: batch" in done
    assert "<dd>43</dd>" in done and "<dd>40</dd>" in done
    link = done.split('href="/imports/')[1].split('"')[0]
    assert link.endswith("/quarantine.csv")
    quarantine = client.get("/imports/" + link)
    assert quarantine.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(quarantine.text)))
    assert len(rows) == 3 and {r["field"] for r in rows} == {"birth_date"}
    assert all("31.02.1990" in r["raw_text"] for r in rows)


def test_bad_uploads_answer_422_with_one_line(ws: Workspace, client: TestClient,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    csrf = csrf_of(client.get("/imports/new").text)
    wrong = client.post("/imports/new", data=_form(csrf),
                        files={"file": ("notes.pdf", b"%PDF-1.4", "application/pdf")})
    assert wrong.status_code == 422 and "not a CSV, XLSX or JSONL file" in wrong.text
    monkeypatch.setattr(import_jobs, "MAX_UPLOAD_BYTES", 100)
    big = client.post("/imports/new", data=_form(csrf),
                      files={"file": ("big.csv", _file(20, 0), "text/csv")})
    assert big.status_code == 422 and "larger than" in big.text
    api = client.post("/api/imports", data=_form(csrf),
                      files={"file": ("big.csv", _file(20, 0), "text/csv")})
    assert api.status_code == 422 and set(api.json()) == {"error", "status"}


def test_api_import_returns_the_batch(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    csrf = csrf_of(client.get("/imports/new").text)
    answer = client.post("/api/imports", data=_form(csrf),
                         files={"file": ("api.csv", _file(5, 1), "text/csv")})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["read"], body["imported"], body["quarantined"]) == (6, 5, 1)
    assert "/api/imports" in client.get("/api/openapi.json").json()["paths"]
    other = client.get(f"/imports/{body['batch_id']}/quarantine.csv")
    assert other.status_code == 200 and other.text.count("\n") == 2


def test_others_cannot_follow_or_download(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ana", Role.ANALYST, "MOD")
    make_user(ws, "spy", Role.ANALYST, "SSU", clearance="public")
    make_user(ws, "aud", Role.AUDITOR, "HQ")
    login(client, "ana")
    csrf = csrf_of(client.get("/imports/new").text)
    started = client.post("/imports/new", data=_form(csrf, classification="secret"),
                          files={"file": ("mod.csv", _file(3, 1), "text/csv")},
                          follow_redirects=False)
    job = started.headers["location"]
    done = _wait(client, job)
    batch = done.split('href="/imports/')[1].split("/")[0]
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    login(client, "spy")
    assert client.get(job).status_code == 404
    assert client.get(f"/imports/{batch}/quarantine.csv").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    login(client, "aud")
    assert client.get("/imports/new").status_code == 403
    assert client.get("/imports/jobs/" + "0" * 32).status_code == 403


def test_import_form_in_ukrainian(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    client.headers["Accept-Language"] = "uk"
    page = client.get("/imports/new")
    assert "Почати імпорт" in page.text and "Start the import" not in page.text


def test_quarantine_reasons_in_the_readers_language(ws: Workspace, client: TestClient) -> None:
    """A reader's problem and a record's reason are stored in English (the CSV keeps them so)
    and shown on the import page in the reader's language."""
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    csrf = csrf_of(client.get("/imports/new").text)
    broken = _file(2, 1) + b"X1,Koval,Ivan\n"  # a row with 3 fields under a header of 7
    answer = client.post("/api/imports", data=_form(csrf),
                         files={"file": ("api.csv", broken, "text/csv")})
    assert answer.status_code == 201 and answer.json()["quarantined"] == 2
    batch = answer.json()["batch_id"]
    stored = client.get(f"/imports/{batch}/quarantine.csv").text
    assert "the row has 3 fields, the header has 7" in stored
    assert "day is out of range for month (value '31.02.1990')" in stored
    client.headers["Accept-Language"] = "uk"
    page = client.get(f"/imports?batch={batch}").text
    assert "у рядку полів: 3, у заголовку: 7" in page
    assert "такого дня в цьому місяці немає (значення «31.02.1990»)" in page
    assert "the header has" not in page and "out of range" not in page
