"""The audit log in the browser and the API: filters, pages of at most 200, checkpoints with
co-signers, proofs and keys that verify with parley-verify's code, and "verify now"."""

from __future__ import annotations

from pathlib import Path

from parley import verify
from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.services import audit
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user


def _auditor(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "aud", Role.AUDITOR)
    login(client, "aud")


def test_log_filters_by_actor_action_and_target(ws: Workspace, client: TestClient) -> None:
    for n in range(3):
        make_user(ws, f"user{n}", Role.ANALYST)
    _auditor(ws, client)
    page = client.get("/audit", params={"action": "user.create", "target": "user1"})
    assert page.status_code == 200
    assert "user:user1" in page.text and "user:user2" not in page.text
    events = client.get("/api/audit/events", params={"action": "user."}).json()["events"]
    assert {e["target"] for e in events} >= {"user:user0", "user:user1", "user:user2"}
    assert all(e["action"].startswith("user.") for e in events)
    by_other = client.get("/api/audit/events", params={"by": "nobody"}).json()
    assert by_other["events"] == [] and by_other["total"] > 0
    today = client.get("/api/audit/events", params={"since": "2000-01-01", "until": "2999-12-31"})
    assert len(today.json()["events"]) >= 4
    future = client.get("/api/audit/events", params={"since": "2999-01-01"}).json()
    assert future["events"] == []
    bad = client.get("/api/audit/events", params={"since": "yesterday"})
    assert bad.status_code == 422 and "since" in bad.json()["error"]


def test_log_pages_never_send_more_than_200(ws: Workspace, client: TestClient) -> None:
    for n in range(5):
        make_user(ws, f"u{n}", Role.ANALYST)
    _auditor(ws, client)
    assert client.get("/api/audit/events", params={"limit": 201}).status_code == 422
    first = client.get("/api/audit/events", params={"limit": 2}).json()
    assert len(first["events"]) == 2 and first["next_before"] == first["events"][-1]["seq"]
    second = client.get("/api/audit/events",
                        params={"limit": 2, "before": first["next_before"]}).json()
    assert max(e["seq"] for e in second["events"]) < min(e["seq"] for e in first["events"])
    seen: list[int] = []
    before = None
    while True:
        params = {"limit": 3} | ({"before": before} if before else {})
        chunk = client.get("/api/audit/events", params=params).json()
        seen += [e["seq"] for e in chunk["events"]]
        before = chunk["next_before"]
        if before is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == first["total"]
    html = client.get("/audit", params={"limit": 2})
    assert f"before={first['next_before']}" in html.text and html.text.count("<tr>") == 3


def test_checkpoints_proofs_and_keys_verify(ws: Workspace, client: TestClient,
                                            tmp_path: Path) -> None:
    make_user(ws, "someone", Role.ANALYST)
    old = audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, cosigners=["MOD"])
    make_user(ws, "later", Role.ANALYST)
    new = audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, cosigners=["MOD", "OMB"])
    _auditor(ws, client)
    page = client.get("/audit/checkpoints")
    assert page.status_code == 200 and "HQ, MOD, OMB" in page.text and new.root_hash in page.text
    listed = client.get("/api/audit/checkpoints").json()
    assert [c["size"] for c in listed] == [new.size, old.size]
    assert listed[0]["signers"] == ["HQ", "MOD", "OMB"]
    keys = client.get("/audit/keys.txt")
    assert keys.headers["content-disposition"].startswith("attachment")
    specs = []
    for n, line in enumerate(keys.text.splitlines()):
        (tmp_path / f"k{n}.pub").write_text(line + "\n", encoding="utf-8")
        specs.append(str(tmp_path / f"k{n}.pub"))
    assert {line.split("+")[0] for line in keys.text.splitlines()} == {"HQ", "MOD", "OMB"}
    proof = client.get("/audit/events/2/proof.json")
    assert proof.status_code == 200 and proof.json()["seq"] == 2
    (tmp_path / "inc.json").write_text(proof.text, encoding="utf-8")
    code, line = verify.run(["inclusion", str(tmp_path / "inc.json"),
                             *[a for s in specs for a in ("--key", s)]])
    assert code == 0, line
    assert "MOD" in line or "OK" in line.upper()
    cons = client.get("/audit/consistency.json", params={"old": old.size, "new": new.size})
    assert cons.status_code == 200 and cons.json()["old_size"] == old.size
    note = client.get(f"/audit/checkpoints/{new.size}/note.txt")
    assert note.text == new.note
    assert client.get("/audit/checkpoints/999999/note.txt").status_code == 404
    assert client.get("/audit/events/99999999999999999999/proof.json").status_code == 404
    uncovered = client.get(f"/api/audit/events/{new.size + 5}/proof")
    assert uncovered.status_code in (404, 409)


def test_verify_now_reports_tampering(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "someone", Role.ANALYST)
    audit.write_checkpoint(ws, actor=LOCAL_OPERATOR)
    _auditor(ws, client)
    csrf = csrf_of(client.get("/audit/checkpoints").text)
    fine = client.post("/audit/verify", headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert fine.status_code == 200 and "The log verifies" in fine.text
    assert "<html" not in fine.text
    with ws.store.transaction() as tx:
        row = tx.get(AuditEventRow, 2)
        assert row is not None
        row.target = "user:forged"
    bad = client.post("/audit/verify", headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert "does not verify" in bad.text and "event 2" in bad.text
    api = client.post("/api/audit/verify", headers={"X-CSRF-Token": csrf}).json()
    assert api["ok"] is False and api["faults"][0].startswith("event 2")


def test_only_readers_of_the_audit_log_get_in(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ana", Role.ANALYST)
    login(client, "ana")
    denied = client.get("/audit")
    assert denied.status_code == 403 and "read the audit log" in denied.text
    assert "read_audit" not in denied.text
    assert client.get("/api/audit/events").status_code == 403
    assert client.get("/api/audit/checkpoints").status_code == 403
    assert client.get("/audit/keys.txt").status_code == 403


def test_audit_pages_in_ukrainian(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "coord", Role.COORDINATOR)
    login(client, "coord")
    client.headers["Accept-Language"] = "uk"
    log = client.get("/audit")
    assert log.status_code == 200 and "Журнал аудиту" in log.text and "Audit log" not in log.text
    assert "Перевірити зараз" in client.get("/audit/checkpoints").text
