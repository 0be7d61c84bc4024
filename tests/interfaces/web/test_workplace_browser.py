"""The workplace pages in Chromium: an import followed to its end through htmx polling, "verify
now", and every new page at 375 px without horizontal overflow or script/CSP errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.services import audit
from parley.services.workspace import Workspace
from tests.conftest import missing_service
from tests.interfaces.web.conftest import PASSWORD, make_user
from tests.interfaces.web.test_browser import ARGS, CHROMIUM, _shoot, server  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = ("/", "/admin/users", "/audit", "/audit/checkpoints", "/imports/new")


def _overflow(page: object) -> int:
    return int(page.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth - window.innerWidth"))


def test_import_progress_verify_and_narrow_pages(ws: Workspace, server: str,  # noqa: F811
                                                 tmp_path: Path) -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing_service(f"Chromium not found at {CHROMIUM} (set PARLEY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed")
    make_user(ws, "boss", Role.ADMIN, "HQ", clearance="top_secret")
    audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, cosigners=["MOD"])
    upload = tmp_path / "mod-register.csv"
    rows = [f"R{i},Koval{i},Ivan,Petrovych,1990-05-01,M,POW" for i in range(3000)]
    upload.write_text("Record ID,Surname,Name,Patronymic,Date of birth,Sex,Status\n"
                      + "\n".join(rows) + "\nB1,Koval,Ivan,,31.02.1990,M,POW\n",
                      encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server + "/login")
            page.get_by_label("User name").fill("boss")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(server + "/")
            page.goto(server + "/imports/new")
            page.get_by_label("File").set_input_files(str(upload))
            page.get_by_label("Source (the register it comes from)").fill("mod-register")
            page.get_by_label("Agency").select_option("MOD")
            page.get_by_role("button", name="Start the import").click()
            page.wait_for_url(f"{server}/imports/jobs/*")
            page.get_by_text("Finished: batch").wait_for(timeout=60_000)
            assert page.get_by_text("download the quarantined rows (CSV)").is_visible()
            _shoot(page, "workplace-import-done")
            page.goto(server + "/audit/checkpoints")
            page.get_by_role("button", name="Verify now").click()
            page.get_by_text("The log verifies").wait_for()
            page.set_viewport_size({"width": 375, "height": 800})
            for path in PAGES:
                page.goto(server + path)
                wide = page.evaluate("""[...document.querySelectorAll('*')].filter(
                    e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
                    .map(e => e.tagName + '.' + e.className)""")
                assert _overflow(page) <= 0, f"{path} overflows at 375 px: {wide}"
                _shoot(page, "workplace-375" + path.replace("/", "-"))
            assert errors == []
        finally:
            browser.close()
