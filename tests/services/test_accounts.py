"""Account services without the web: tokens, sessions, the generated secret."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from parley.adapters.sql.auth_tables import ApiToken, WebSession
from parley.adapters.sql.base import utcnow
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Action, Role
from parley.errors import AccessDenied, AuthenticationFailed, Conflict, InvalidInput
from parley.services import accounts
from parley.services.workspace import Workspace

PASSWORD = "correct horse battery"


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="")
    first = accounts.ensure_secret_key(settings)
    path = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert accounts.ensure_secret_key(settings) == first and len(first) >= 48
    assert accounts.ensure_secret_key(Settings(data_dir=tmp_path, secret_key="given")) == "given"


def test_tokens_store_only_a_hash_and_expire(ws: Workspace) -> None:
    actor = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                                 role=Role.ANALYST, agency="MOD")
    issued = accounts.create_api_token(ws, actor=actor, name="t",
                                       scopes=frozenset({Action.SEARCH_REGISTRY}))
    with ws.store.reading() as tx:
        row = tx.query(ApiToken).one()
        assert issued.token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    who, scopes = accounts.token_actor(ws, token=issued.token)
    assert who.username == "olena" and scopes == {Action.SEARCH_REGISTRY}
    with ws.store.transaction() as tx:
        tx.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AuthenticationFailed):
        accounts.token_actor(ws, token=issued.token)


def test_sessions_store_only_a_hash_and_end_at_logout(ws: Workspace) -> None:
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                         role=Role.ANALYST, agency="MOD")
    step = accounts.login(ws, username="olena", password=PASSWORD)
    with ws.store.reading() as tx:
        assert tx.get(WebSession, step.session_token) is None  # the id is a hash of it
    assert accounts.session_actor(ws, session_token=step.session_token).username == "olena"
    accounts.logout(ws, session_token=step.session_token)
    with pytest.raises(AuthenticationFailed):
        accounts.session_actor(ws, session_token=step.session_token)


def test_bad_account_input_is_refused(ws: Workspace) -> None:
    with pytest.raises(InvalidInput, match="clearance"):
        accounts.create_user(ws, actor=LOCAL_OPERATOR, username="x", password=PASSWORD,
                             role=Role.ANALYST, agency="MOD", clearance="cosmic")
    with pytest.raises(InvalidInput, match="user name"):
        accounts.create_user(ws, actor=LOCAL_OPERATOR, username="two words",
                             password=PASSWORD, role=Role.ANALYST, agency="MOD")
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username="x", password=PASSWORD,
                         role=Role.ANALYST, agency="MOD")
    with pytest.raises(Conflict):
        accounts.create_user(ws, actor=LOCAL_OPERATOR, username="x", password=PASSWORD,
                             role=Role.ANALYST, agency="MOD")
    with pytest.raises(InvalidInput, match="unknown scope"):
        accounts.parse_scopes("read, launch_missiles")
    with pytest.raises(InvalidInput):
        accounts.create_api_token(ws, actor=LOCAL_OPERATOR, name="t",
                                  scopes=frozenset({Action.INGEST}))


def test_set_password_replaces_the_old_one_and_ends_sessions(ws: Workspace) -> None:
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                         role=Role.ANALYST, agency="MOD")
    step = accounts.login(ws, username="olena", password=PASSWORD)
    new_password = PASSWORD + "-new"
    accounts.set_password(ws, actor=LOCAL_OPERATOR, username="olena", password=new_password)
    with pytest.raises(AuthenticationFailed):
        accounts.session_actor(ws, session_token=step.session_token)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(ws, username="olena", password=PASSWORD)
    assert accounts.authenticate(ws, username="olena", password=new_password).username == "olena"
    with pytest.raises(InvalidInput):
        accounts.set_password(ws, actor=LOCAL_OPERATOR, username="olena", password="short")
    analyst = accounts.authenticate(ws, username="olena", password=new_password)
    with pytest.raises(AccessDenied):
        accounts.set_password(ws, actor=analyst, username="olena", password=PASSWORD)


def test_signing_keys_are_private_files_in_private_folders(ws: Workspace) -> None:
    from parley.services.keys import agency_private_key, key_dir

    old = os.umask(0o022)
    try:
        agency_private_key(ws, "MOD")
    finally:
        os.umask(old)
    folder = key_dir(ws)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "MOD.pem").stat().st_mode) == 0o600
