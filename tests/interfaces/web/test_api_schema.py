"""Property-based checks of the JSON API against its own OpenAPI description (schemathesis).

Every operation in ``/api/openapi.json`` is called with generated valid and invalid input, as a
coordinator with a token of every scope, on a workspace with records, persons and lists: no
answer may be a server error, and every answer must match the schema and content type the
description promises. The schema itself lists JSON endpoints only (no HTML page).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, PERMISSIONS, Role
from parley.interfaces.web.app import create_app
from parley.services import accounts
from parley.services.setup import init_workspace
from parley.services.tokens import create_api_token
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import PASSWORD, add_record, make_user

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str]]:
    folder = tmp_path_factory.mktemp("api")
    chosen = Settings(database_url=f"sqlite:///{(folder / 'parley.db').as_posix()}",
                      data_dir=folder / "data", secret_key="s" * 40)
    ws = Workspace(store=Store.from_url(chosen.effective_database_url), settings=chosen)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    make_user(ws, "coord", Role.COORDINATOR)
    for i in range(5):
        add_record(ws, family_name=f"Петренко{i}", given_name="Іван", birth_date="1990-05-12",
                   line_no=i + 2)
    actor = accounts.authenticate(ws, username="coord", password=PASSWORD)
    token = create_api_token(ws, actor=actor, name="schemathesis",
                             scopes=PERMISSIONS[Role.COORDINATOR]).token
    yield ws, token
    ws.store.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(api_workspace: tuple[Workspace, str]) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(api_workspace[0]))


def test_the_schema_lists_json_endpoints_only(api_schema: Any) -> None:
    paths = list(api_schema.raw_schema["paths"])
    assert paths and all(p.startswith("/api/") for p in paths)


def test_api_answers_without_server_errors_and_as_described(
        api_schema: Any, api_workspace: tuple[Workspace, str]) -> None:
    """Each operation in turn, with examples Hypothesis draws from its schema (valid and not)."""
    headers = {"Authorization": f"Bearer {api_workspace[1]}"}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    tried: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        call()
    assert len(tried) >= 5, tried
