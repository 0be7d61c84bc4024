"""Inquirers' contact details and consent never reach a role outside the policy.

Canary values are planted in every contact field of inquiries; then every role of every agency
reads everything it can reach about inquiries (list, detail, CSV export, and the web pages and
API that the families routes serve), and every body is searched for every canary. The rule is
stated here independently of the policy code: the family liaison, and the staff (administrators,
coordinators, analysts) of the ombudsman's office, may see them; nobody else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.adapters.sql.tables import Person
from parley.domain.actors import Actor, Role
from parley.domain.agencies import DEFAULT_AGENCIES
from parley.errors import ParleyError
from parley.services.answers import sync_answer_tasks
from parley.services.inquiries import (
    export_inquiries,
    get_inquiry,
    list_inquiries,
    take_inquiry,
)
from parley.services.inquiry_links import decide_candidate
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, login, make_user

ROLES = [r for r in Role if r is not Role.OPERATOR]
AGENCIES = [a.code for a in DEFAULT_AGENCIES if a.code != "LOCAL"]
CONTACT = ("inquirer_name", "inquirer_relation", "inquirer_phone", "inquirer_email")


def may_see_contact(role: Role, agency: str) -> bool:
    if role is Role.FAMILY_LIAISON:
        return True
    return role in (Role.ADMIN, Role.COORDINATOR, Role.ANALYST) and agency == "OMB"


def _plant(ws: Workspace, operator: Actor) -> tuple[list[int], dict[str, str]]:
    canaries: dict[str, str] = {}
    ids = []
    for n in range(2):
        values = {
            "inquiry_id": f"Q-{n}",
            "inquirer_name": f"Canaryname{n}xq",
            "inquirer_relation": f"canaryrel{n}xq",
            "inquirer_phone": f"+380 44 77{n} 0{n}99",
            "inquirer_email": f"canary{n}xq@example.org",
            "consent": "contact+icrc",
            "family_name": "Soughtperson", "given_name": "Ivan", "birth_date": "1990-01-0" + str(
                n + 1),
        }
        ids.append(take_inquiry(ws, actor=operator, values=values, channel="hotline"))
        canaries.update({f"{f}:{n}": values[f] for f in CONTACT})
    return ids, canaries


def _bodies(ws: Workspace, actor: Actor, ids: list[int], tmp: Path) -> list[str]:
    out: list[str] = []
    calls = [lambda: list_inquiries(ws, actor=actor)]
    calls += [lambda i=i: get_inquiry(ws, actor=actor, inquiry_id=i) for i in ids]
    for call in calls:
        try:
            out.append(json.dumps(call(), ensure_ascii=False, default=str))
        except ParleyError as err:
            out.append(str(err))
    path = tmp / f"{actor.username}.csv"
    try:
        export_inquiries(ws, actor=actor, path=path)
        out.append(path.read_text(encoding="utf-8"))
    except ParleyError as err:
        out.append(str(err))
    return out


def test_contact_details_reach_only_the_liaison_and_the_ombudsman(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    ids, canaries = _plant(ws, operator)
    leaks: list[str] = []
    seen = cases = 0
    for role in ROLES:
        for agency in AGENCIES:
            actor = Actor(username=f"{role.value}-{agency}", role=role, agency=agency)
            text = "\n".join(_bodies(ws, actor, ids, tmp_path))
            for label, value in canaries.items():
                cases += 1
                found = value in text
                if found and not may_see_contact(role, agency):
                    leaks.append(f"{role.value}/{agency}: {label}")
                seen += found
    assert leaks == []
    assert cases == len(ROLES) * len(AGENCIES) * len(canaries)
    # the search does find what may be shown (liaison × 8 agencies + 3 OMB staff roles)
    assert seen == (len(AGENCIES) + 3) * len(canaries)


def test_pages_and_letters_leak_no_contact_details(
    ws: Workspace, operator: Actor, client: TestClient
) -> None:
    """The same rule through the web app: every families page, the API-free PDF letters and
    the error pages, for one user of each role in the ombudsman's office and one outside."""
    ids, canaries = _plant(ws, operator)
    with ws.store.transaction() as tx:
        person = Person(display_name="Soughtperson Ivan", status="held")
        tx.add(person)
        tx.flush()
        person_id = person.id
    for inquiry in ids:
        decide_candidate(ws, actor=operator, inquiry_id=inquiry, person_id=person_id,
                         decision="link")
    sync_answer_tasks(ws, actor=operator)
    paths = ["/inquiries", "/answers", "/answers?state=all", "/remains",
             *(f"/inquiries/{i}" for i in ids), "/answers/1/letter.pdf",
             "/answers/2/letter.pdf", "/inquiries/new"]
    leaks, seen = [], 0
    for role in ROLES:
        for agency in ("OMB", "MOD"):
            username = f"{role.value}-{agency}".replace("_", "-")
            make_user(ws, username, role, agency)
            client.cookies.clear()
            login(client, username)
            for path in paths:
                response = client.get(path)
                assert response.status_code < 500, path
                body = (_pdf_text(response.content) if response.content.startswith(b"%PDF")
                        else response.text)
                for label, value in canaries.items():
                    if label.startswith("inquirer_name") and value in body:
                        seen += 1
                        if not may_see_contact(role, agency):
                            leaks.append(f"{username} {path}: {label}")
                    elif value in body and not may_see_contact(role, agency):
                        leaks.append(f"{username} {path}: {label}")
    assert leaks == []
    assert seen > 0  # names do show where they may (pages and letters)


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("role", [Role.LOGISTICS, Role.MEDIATOR, Role.AUDITOR])
def test_roles_without_families_work_see_no_inquiry_at_all(
    ws: Workspace, operator: Actor, role: Role
) -> None:
    ids, _ = _plant(ws, operator)
    actor = Actor(username="x", role=role, agency="HQ")
    with pytest.raises(ParleyError):
        list_inquiries(ws, actor=actor)
    with pytest.raises(ParleyError):
        get_inquiry(ws, actor=actor, inquiry_id=ids[0])
