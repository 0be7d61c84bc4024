"""The seam between services and storage: every transaction a store opens carries its
repositories, and nothing else passes for such a transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from parley.adapters.sql.repositories import SqlRepositories
from parley.adapters.sql.session import session_of
from parley.domain.actors import Actor
from parley.services.journal import record_event
from parley.services.ports import Repositories, repositories_of
from parley.services.workspace import Workspace


def test_a_store_transaction_carries_the_store_repositories(ws: Workspace) -> None:
    with ws.store.transaction() as tx:
        assert repositories_of(tx) is ws.repos
    with ws.store.reading() as tx:
        assert repositories_of(tx) is ws.repos


def test_every_port_attribute_is_built(ws: Workspace) -> None:
    wanted = set(Repositories.__annotations__)
    assert wanted, "the port names its repositories"
    assert wanted == set(SqlRepositories.__annotations__)
    assert all(getattr(ws.repos, name, None) is not None for name in wanted)


def test_a_session_opened_outside_a_store_is_refused(ws: Workspace, operator: Actor) -> None:
    with Session(ws.store.engine) as stray, pytest.raises(TypeError, match="outside a store"):
        record_event(stray, actor=operator, action="test.act", target="t:1")


def test_a_sql_repository_refuses_a_foreign_transaction(ws: Workspace) -> None:
    with pytest.raises(TypeError, match="SQL store"):
        ws.repos.users.find(object(), "nobody")
    with ws.store.reading() as tx:
        assert session_of(tx) is tx
