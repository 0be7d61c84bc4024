"""axe-core (vendored from its npm package) finds no serious or critical WCAG violation on any
page, in Ukrainian and in English, run in Debian's Chromium through Playwright.

The pages are those of a coordinator on a workspace with records, a quarantined row, persons
(resolved), a review pair and a conflict, lists, a plan with vehicles (the exchange day's pages)
and a relative's inquiry, so each page shows real content; then an import's progress page after
an upload, the administrator's pages, and the second step of a sign-in with a second factor.
Every page of the app that answers HTML is here, except fragments swapped into a page (an
entry's edit form, an import's progress, a stage's board: each is checked inside its page).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyotp
import pytest

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.services import accounts, logistics
from parley.services.inquiries import take_inquiry
from parley.services.resolution import resolve_identities
from parley.services.workspace import Workspace
from tests.conftest import missing_service
from tests.interfaces.web.conftest import PASSWORD, add_quarantine, make_user
from tests.interfaces.web.test_browser import ARGS, CHROMIUM, server  # noqa: F401 (a fixture)
from tests.interfaces.web.test_handover_pages import FLEET
from tests.services.exchday_factory import build_day
from tests.services.identity_factory import PEOPLE, add_link, add_records, person

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def _pages(ids: dict[str, Any]) -> list[str]:
    return [
        "/", "/search", "/search?name=Petrenko", "/imports/new", "/audit", "/audit/checkpoints",
        f"/records/{ids['record']}", "/imports",
        "/account", "/review", f"/review/{ids['pair'][0]}/{ids['pair'][1]}", "/conflicts",
        f"/persons/{ids['person']}", "/lists", "/plan", "/mediator", "/api/docs", "/records/424242",
        "/lists/recv", "/lists/recv/versions", "/lists/recv/reconciliation",
        "/inquiries", "/inquiries/new", f"/inquiries/{ids['inquiry']}", "/answers", "/remains",
        "/stages", "/stages/1", "/stages/1/manifest",
    ]


ADMIN_PAGES = ["/admin/users", "/admin/users/guarded/reset-totp"]
"""The administrator's pages (the coordinator may not open them)."""
FLOWS = ["/imports/jobs/…", "/login/totp"]
"""Pages reached only through a form: an import's progress page after an upload, the second
step of a sign-in with a second factor."""


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()


def _check(page: Any, script: str, language: str) -> list[str]:
    assert page.locator("html").get_attribute("lang") == language
    page.evaluate(script)
    return [f"{v['id']}: {v['help']}" for v in _violations(page)]


def _violations(page: Any) -> list[dict[str, Any]]:
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, "
                           "{resultTypes: ['violations']}))")
    found: list[dict[str, Any]] = json.loads(result)["violations"]
    return [v for v in found if v.get("impact") in SERIOUS]


@pytest.mark.parametrize("language", ["uk", "en"])
def test_no_serious_accessibility_violation_on_any_page(ws: Workspace, server: str,  # noqa: F811
                                                        language: str) -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing_service(f"Chromium not found at {CHROMIUM} (set PARLEY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed")
    make_user(ws, "coord", Role.COORDINATOR)
    mod = add_records(ws, source="MOD register", agency="MOD", reliability="A1",
                      rows=[{**PEOPLE[0], "status": "held"}, *PEOPLE[1:]])
    omb = add_records(ws, source="OMB requests", agency="OMB", reliability="C3",
                      rows=[{**PEOPLE[0], "status": "deceased"}, PEOPLE[1],
                            person("Коваленко", "Іван", "", "1991-02-03")])
    resolve_identities(ws, actor=LOCAL_OPERATOR)
    add_link(ws, mod[0], omb[2], 0.6, {"family_name": 4.2, "birth_date": -6.5})
    add_quarantine(ws, agency="MOD", reason="birth_date: cannot read '31.02.1990'",
                   raw_text="Шевченко;Тарас;31.02.1990", line_no=17)
    from sqlalchemy import select

    from parley.adapters.sql.tables import SourceRecord
    with ws.store.reading() as tx:
        person_id = tx.scalar(select(SourceRecord.person_id).where(SourceRecord.id == mod[0]))
    ids = {"record": mod[0], "pair": (mod[0], omb[2]), "person": person_id}
    from parley.services import lists  # a list drawn from the registry: entries link records

    lists.create_list(ws, actor=LOCAL_OPERATOR, name="recv", direction="receive")
    lists.add_from_registry(ws, actor=LOCAL_OPERATOR, name="recv")
    plan_id = build_day(ws, LOCAL_OPERATOR)  # a plan with vehicles: the exchange day's pages
    logistics.assign_transport(ws, actor=LOCAL_OPERATOR, plan_id=plan_id, vehicles=FLEET)
    ids["inquiry"] = take_inquiry(ws, actor=LOCAL_OPERATOR, values={
        "inquiry_id": "H-1", "inquirer_name": "Коваленко Марія", "inquirer_relation": "мати",
        "inquirer_phone": "+380501234567", "consent": "так", "family_name": "Коваленко",
        "given_name": "Іван", "birth_date": "1991-02-03"})
    make_user(ws, "admin", Role.ADMIN, "HQ")
    guarded = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="guarded",
                                   password=PASSWORD, role=Role.ANALYST, agency="MOD")
    secret = accounts.start_totp_enrolment(ws, actor=guarded).secret
    accounts.confirm_totp_enrolment(ws, actor=guarded, secret=secret,
                                    code=pyotp.TOTP(secret).now())
    script = AXE.read_text(encoding="utf-8")
    report: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800},
                                          locale="uk-UA" if language == "uk" else "en-GB")
            page = context.new_page()
            # the check can fail: an image without a text alternative is a critical violation
            page.set_content("<html lang='en'><body><main><img src='x.png'></main></body></html>")
            page.evaluate(script)
            assert "image-alt" in [v["id"] for v in _violations(page)]
            page.goto(server + "/login")
            report["/login"] = _check(page, script, language)
            _sign_in(page, server, "coord")
            page.wait_for_url(server + "/")
            for path in _pages(ids):
                status = page.goto(server + path).status
                assert status == (404 if path == "/records/424242" else 200), path
                report[path] = _check(page, script, language)
            page.goto(server + "/imports/new")
            page.locator("#source").fill("MOD upload")
            page.locator("input[name=file]").set_input_files(files=[{
                "name": "mod.csv", "mimeType": "text/csv",
                "buffer": "Surname,Name,Date of birth\nКоваль,Іван,1990-05-01\n".encode()}])
            page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
            page.wait_for_url(server + "/imports/jobs/**")
            report[FLOWS[0]] = _check(page, script, language)
            context.clear_cookies()
            _sign_in(page, server, "admin")
            page.wait_for_url(server + "/")
            for path in ADMIN_PAGES:
                assert page.goto(server + path).status == 200, path
                report[path] = _check(page, script, language)
            context.clear_cookies()
            _sign_in(page, server, "guarded")
            page.wait_for_url(server + "/login/totp**")
            report[FLOWS[1]] = _check(page, script, language)
        finally:
            browser.close()
    assert {path: found for path, found in report.items() if found} == {}
    assert len(report) == len(_pages(ids)) + len(ADMIN_PAGES) + len(FLOWS) + 1
