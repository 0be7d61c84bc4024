"""A whole stage in a real browser at phone width (375 px): check-ins on the form, the board
moving in a second tab by htmx polling, closing, the signed protocol downloaded and verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parley.domain.actors import Actor, Role
from parley.domain.exchange_day.fleet import Vehicle, VehicleKind
from parley.services import logistics
from parley.services.keys import export_public_keys
from parley.services.lists import stored_plan
from parley.services.workspace import Workspace
from parley.verify import run as verify_run
from tests.conftest import missing_service
from tests.interfaces.web.conftest import PASSWORD, make_user
from tests.interfaces.web.test_browser import (  # noqa: F401 - server is a fixture
    ARGS,
    CHROMIUM,
    _shoot,
    server,
)
from tests.services.exchday_factory import build_day

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
FLEET = [Vehicle(f"BUS{k}", VehicleKind.BUS, 20, 0, 0, k) for k in (1, 2)] + [
    Vehicle(f"AMB{k}", VehicleKind.AMBULANCE, 2, 4, 1, k) for k in (1, 2)]


def test_a_whole_stage_on_a_phone(ws: Workspace, operator: Actor, server: str,  # noqa: F811
                                  tmp_path: Path) -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing_service(f"Chromium not found at {CHROMIUM} (set PARLEY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("the playwright package is not installed")
    plan_id = build_day(ws, operator)
    logistics.assign_transport(ws, actor=operator, plan_id=plan_id, vehicles=FLEET)
    plan = stored_plan(ws, actor=operator, plan_id=plan_id)
    stage1 = [a for a in plan.assignments if a.stage == 1]
    make_user(ws, "field", Role.LOGISTICS, "MOI")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport=PHONE, accept_downloads=True,
                                          is_mobile=True, has_touch=True)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server + "/login")
            page.get_by_label("User name").fill("field")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            watcher = context.new_page()  # a second phone watching the board
            watcher.goto(f"{server}/stages/1?plan={plan_id}")
            assert watcher.get_by_test_id("handed-over").inner_text() == "0"
            page.goto(f"{server}/stages/1?plan={plan_id}")
            button = page.get_by_role("button", name="Record check-in")
            box = button.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            _shoot(page, "exchday-01-stage-phone")
            for n, _ in enumerate(stage1, start=1):
                page.get_by_label("Outcome", exact=True).select_option("transferred")
                page.locator("input[name=will_to_return][value=yes]").check()
                page.locator("input[name=fit_to_travel][value=yes]").check()
                page.get_by_role("button", name="Record check-in").click()
                page.get_by_text("Check-in recorded.").wait_for()
                assert page.get_by_test_id("left").inner_text() == str(len(stage1) - n)
            given = sum(a.side == "give" for a in stage1)
            # the watcher never reloaded: htmx polling moved its board to the end of the stage
            watcher.wait_for_function(
                "() => document.querySelector('[data-testid=left]').textContent == '0'",
                timeout=10_000)
            assert watcher.get_by_test_id("handed-over").inner_text() == str(given)
            assert "Balanced" in watcher.get_by_test_id("parity").inner_text()
            page.get_by_label("Handover point").fill("border point")
            page.get_by_role("button", name="Close stage 1").click()
            page.get_by_text("Stage closed").wait_for()
            _shoot(page, "exchday-02-closed-phone")
            page.goto(f"{server}/stages/1/manifest?plan={plan_id}")
            _shoot(page, "exchday-03-manifest-phone")
            page.goto(f"{server}/stages/1?plan={plan_id}")
            with page.expect_download() as caught:
                page.get_by_role("link", name="Download the signed protocol").click()
            target = tmp_path / "stage1.protocol"
            caught.value.save_as(target)
            assert errors == []
        finally:
            browser.close()
    export_public_keys(ws, tmp_path / "pub")
    code, line = verify_run(["protocol", str(target), "--key", str(tmp_path / "pub" / "HQ.pub")])
    assert code == 0, line
