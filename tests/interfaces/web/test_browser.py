"""A real browser (Debian's Chromium via Playwright) signs in and finds a person.

Set PARLEY_SCREENSHOTS=DIR to keep a screenshot of each page for a look at the layout.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from parley.domain.actors import Role
from parley.interfaces.web.app import create_app
from parley.services.workspace import Workspace
from tests.conftest import missing_service
from tests.interfaces.web.conftest import PASSWORD, add_quarantine, add_record, make_user
from tests.interfaces.web.serving import serving

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(ws: Workspace) -> Iterator[str]:
    with serving(create_app(ws)) as url:
        yield url


def _shoot(page: object, name: str) -> None:
    folder = os.environ.get("PARLEY_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_sign_in_and_find_a_person(ws: Workspace, server: str) -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing_service(f"Chromium not found at {CHROMIUM} (set PARLEY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed")
    make_user(ws, "olena", Role.ANALYST, "MOD")
    record = add_record(ws, family_name="Петренко", given_name="Іван", patronymic="Петрович",
                        birth_date="1990-05-12", service_number="AB123456", rank="солдат",
                        status="captured", raw={"Військова частина": "A1234"},
                        notes="Seen in a video from the other side")
    add_record(ws, family_name="Petrenko", given_name="Ivan", birth_date="1990-05",
               service_number="AB123456", source="moi-register", agency="MOI", line_no=5)
    add_record(ws, family_name="Коваленко", given_name="Олег", birth_date="1985-01-02", line_no=9)
    add_quarantine(ws, agency="MOD", reason="birth_date: cannot read '31.02.1990'",
                   raw_text="Шевченко;Тарас;31.02.1990", line_no=17)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server + "/")
            assert page.url.startswith(server + "/login")
            _shoot(page, "01-login")
            page.get_by_label("User name").fill("olena")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(server + "/")  # the start page, then the search
            page.goto(server + "/search")
            page.get_by_label("Name, in any script or spelling").fill("Petrenko Ivan")
            page.get_by_role("button", name="Search").click()
            page.get_by_role("link", name="Петренко").wait_for()
            assert page.get_by_text("2 records found").is_visible()
            assert "name=Petrenko" in page.url  # htmx pushed the query into the address bar
            _shoot(page, "02-search")
            page.get_by_role("link", name="Петренко").click()
            page.wait_for_url(f"{server}/records/{record}")
            assert page.get_by_role("heading", name="Raw row, as it came").is_visible()
            assert page.get_by_role("cell", name="A1234").is_visible()
            _shoot(page, "03-record")
            page.get_by_role("link", name="Imports").click()
            page.get_by_text("cannot read '31.02.1990'").wait_for()
            _shoot(page, "04-imports")
            page.goto(server + "/account")
            _shoot(page, "05-account")
            assert errors == []  # no script errors, no CSP violations, no missing files
            page.goto(server + "/records/999999")
            assert page.get_by_role("heading", name="Not found").is_visible()
            _shoot(page, "06-not-found")
        finally:
            browser.close()
