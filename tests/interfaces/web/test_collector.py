"""The served app keeps full garbage collections off the request path (bench/web_cost.py
measures what that saves): what exists when it is built, and what a process cache takes in, is
frozen out of the collector's walk; a request that fills no cache freezes nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from parley.interfaces.web.collector import YOUNG_THRESHOLD, settle_for_serving
from parley.services.list_access import cache_fills, note_filled
from tests.interfaces.web.conftest import TestClient


@pytest.fixture
def restored_collector() -> Iterator[None]:
    """Give the test process its collector back as it was (unfrozen, default thresholds)."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _app() -> Starlette:
    def plain(request: Request) -> PlainTextResponse:
        return PlainTextResponse("plain")

    def fills(request: Request) -> PlainTextResponse:
        note_filled()
        return PlainTextResponse("filled")

    return Starlette(routes=[Route("/plain", plain), Route("/fills", fills)])


def test_settling_freezes_what_exists_and_spaces_young_collections(
        restored_collector: None) -> None:
    assert gc.get_freeze_count() == 0
    settle_for_serving(_app())
    assert gc.get_freeze_count() > 10_000  # the modules loaded in this process, at least
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def test_a_request_that_fills_a_cache_freezes_again_and_only_then(
        restored_collector: None) -> None:
    with TestClient(settle_for_serving(_app())) as client:
        assert client.get("/plain").text == "plain"
        frozen = gc.get_freeze_count()
        assert client.get("/plain").text == "plain"
        assert gc.get_freeze_count() == frozen
        before = cache_fills()
        assert client.get("/fills").text == "filled"
        assert cache_fills() == before + 1
        assert gc.get_freeze_count() > frozen
