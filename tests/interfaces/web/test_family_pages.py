"""Families' pages through the real app: the hotline form (Ukrainian by default, English on
request), inquiries, letters (PDF download), remains counts; contact details only for the liaison
and the ombudsman."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.tables import Person
from parley.domain.actors import Actor, Role
from parley.services.answers import sync_answer_tasks
from parley.services.inquiry_links import decide_candidate
from parley.services.remains import import_cases, record_repatriation
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user

FORM = {"inquirer_name": "Савченко Ніна", "inquirer_relation": "мати",
        "inquirer_phone": "+380 50 765 4321", "inquirer_email": "nina@example.org",
        "consent": "так", "channel": "hotline", "family_name": "Савченко",
        "given_name": "Тарас", "patronymic": "Юрійович", "birth_date": "10.10.1993",
        "capture_place": "Херсон"}


def test_hotline_operator_takes_an_inquiry_and_the_liaison_sends_a_letter(
    ws: Workspace, operator: Actor, client: TestClient, tmp_path: Path
) -> None:
    make_user(ws, "hotline", Role.FAMILY_LIAISON, "OMB")
    login(client, "hotline")
    client.headers["Accept-Language"] = "uk"  # the hotline staff work in Ukrainian
    form = client.get("/inquiries/new")
    assert form.status_code == 200
    assert "Хто звертається" in form.text and "Who asks" not in form.text
    bad = client.post("/inquiries/new", data={**FORM, "inquirer_email": "nope",
                                              "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 422 and "Ел. пошта" in bad.text
    done = client.post("/inquiries/new", data={**FORM, "csrf_token": csrf_of(form.text)},
                       follow_redirects=False)
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert page.status_code == 200 and "+380 50 765 4321" in page.text and "Херсон" in page.text
    assert f"Звернення № {done.headers['location'].rsplit('/', 1)[1]} зареєстровано" in page.text
    with ws.store.reading() as tx:
        inquiry = tx.scalars(select(Inquiry)).one()
        assert inquiry.birth_date == "1993-10-10" and inquiry.channel == "hotline"
    assert client.get("/inquiries/999999").status_code == 404

    with ws.store.transaction() as tx:
        person = Person(display_name="Савченко Тарас Юрійович", status="held")
        tx.add(person)
        tx.flush()
        person_id = person.id
    decide_candidate(ws, actor=operator, inquiry_id=inquiry.id, person_id=person_id,
                     decision="link")
    sync_answer_tasks(ws, actor=operator)
    answers = client.get("/answers")
    assert "Савченко Ніна" in answers.text and "letter.pdf" in answers.text
    pdf = client.get("/answers/1/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sent = client.post("/answers/1/sent", data={"how": "phone",
                                                "csrf_token": csrf_of(answers.text)},
                       follow_redirects=False)
    assert sent.status_code == 303
    sent_page = client.get("/answers?state=sent")
    assert "надіслано (телефоном," in sent_page.text and "UTC)" in sent_page.text

    record_repatriation(ws, actor=operator, key="R-1", received=12, handed_over=3)
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,repatriation_id,state\nC-1,R-1,received\nC-2,R-1,examined\n",
                     encoding="utf-8")
    import_cases(ws, actor=operator, path=cases)
    remains = client.get("/remains")
    assert remains.status_code == 200
    assert "прийнято: 1" in remains.text and "обстежено: 1" in remains.text
    client.headers["Accept-Language"] = "en"
    remains = client.get("/remains")
    assert "received: 1" in remains.text and "examined: 1" in remains.text


def test_intake_form_speaks_ukrainian_by_default_and_english_on_request(
    ws: Workspace, client: TestClient
) -> None:
    make_user(ws, "hotline", Role.FAMILY_LIAISON, "OMB")
    login(client, "hotline")
    client.headers.pop("Accept-Language", None)
    form = client.get("/inquiries/new")
    assert form.status_code == 200 and form.headers["content-language"] == "uk"
    for words in ("Нове звернення", "Хто звертається", "Кого шукають", "Ким доводиться",
                  "гаряча лінія", "дд.мм.рррр", "Зареєструвати звернення", ">Звернення</a>"):
        assert words in form.text, words
    for words in ("New inquiry", "Who asks", "Whom they seek", "hotline</option>", "Register"):
        assert words not in form.text, words
    bad = client.post("/inquiries/new", data={**FORM, "birth_date": "31.02.1993",
                                              "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 422 and "Перевірте поле: <strong>Дата народження" in bad.text
    assert 'value="Савченко Ніна"' in bad.text  # what was typed is kept

    client.headers["Accept-Language"] = "en"
    form = client.get("/inquiries/new")
    assert form.headers["content-language"] == "en"
    for words in ("New inquiry", "Who asks", "Whom they seek", "Relation to the sought person",
                  "hotline</option>", "dd.mm.yyyy", "Register the inquiry", ">Inquiries</a>"):
        assert words in form.text, words
    assert "Хто звертається" not in form.text and "Зареєструвати" not in form.text
    bad = client.post("/inquiries/new", data={**FORM, "inquirer_email": "nope",
                                              "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 422 and "Check the field: <strong>E-mail" in bad.text


def test_other_roles_see_no_contact_details_on_pages(
    ws: Workspace, operator: Actor, client: TestClient
) -> None:
    make_user(ws, "hotline", Role.FAMILY_LIAISON, "OMB")
    login(client, "hotline")
    form = client.get("/inquiries/new")
    client.post("/inquiries/new", data={**FORM, "csrf_token": csrf_of(form.text)})
    client.cookies.clear()
    make_user(ws, "analyst", Role.ANALYST, "MOD")
    login(client, "analyst")
    page = client.get("/inquiries/1")
    assert page.status_code == 200 and "Савченко" in page.text
    assert "+380 50 765 4321" not in page.text and "Савченко Ніна" not in page.text
    assert "withheld" in page.text
    assert client.get("/inquiries/new").status_code == 200  # analysts may take inquiries too
    client.cookies.clear()
    make_user(ws, "lev", Role.LOGISTICS, "HQ")
    login(client, "lev")
    assert client.get("/inquiries").status_code == 403
    assert client.get("/inquiries/1").status_code == 403
