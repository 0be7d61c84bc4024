"""The login guard without the web: equal hash work for unknown users, the backoff's shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.domain.throttle import backoff
from parley.errors import AuthenticationFailed
from parley.services import accounts, passwords
from parley.services.workspace import Workspace

PASSWORD = "correct horse battery"


class CountingHasher(PasswordHasher):
    """Real argon2id at the smallest cost, counting the verifications it performs."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", counting)
    yield counting


def _verifications(hasher: CountingHasher, ws: Workspace, username: str, password: str,
                   source: str) -> int:
    before = hasher.verified
    with pytest.raises(AuthenticationFailed) as failure:
        accounts.authenticate(ws, username=username, password=password, source=source)
    assert str(failure.value) == accounts.LOGIN_FAILED
    return hasher.verified - before


def test_unknown_users_cost_the_same_password_hash_work(ws: Workspace,
                                                         hasher: CountingHasher) -> None:
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                         role=Role.ANALYST, agency="MOD")
    known = _verifications(hasher, ws, "olena", "wrong password!", "198.51.100.1")
    unknown = _verifications(hasher, ws, "no-such-user", "wrong password!", "198.51.100.2")
    assert known == unknown == 1
    accounts.lock_user(ws, actor=LOCAL_OPERATOR, username="olena")
    assert _verifications(hasher, ws, "olena", PASSWORD, "198.51.100.3") == 1  # inactive
    accounts.unlock_user(ws, actor=LOCAL_OPERATOR, username="olena")
    for _ in range(ws.settings.max_failed_logins):
        _verifications(hasher, ws, "olena", "wrong password!", "198.51.100.4")
    assert _verifications(hasher, ws, "olena", PASSWORD, "198.51.100.4") == 1  # slowed


def test_the_backoff_starts_after_the_free_tries_and_doubles_up_to_the_cap() -> None:
    cap = timedelta(minutes=15)
    waits = [backoff(n, free=5, cap=cap).total_seconds() for n in range(1, 16)]
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:10] == [2, 4, 8, 16, 32, 64]
    assert max(waits) == 900 and waits[-1] == 900
    assert backoff(10_000, free=5, cap=cap) == cap


def test_unlock_forgets_failures_from_every_source(ws: Workspace,
                                                   hasher: CountingHasher) -> None:
    accounts.create_user(ws, actor=LOCAL_OPERATOR, username="olena", password=PASSWORD,
                         role=Role.ANALYST, agency="MOD")
    for _ in range(ws.settings.max_failed_logins):
        _verifications(hasher, ws, "olena", "wrong password!", "192.0.2.7")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(ws, username="olena", password=PASSWORD, source="192.0.2.7")
    accounts.unlock_user(ws, actor=LOCAL_OPERATOR, username="olena")
    assert accounts.authenticate(ws, username="olena", password=PASSWORD,
                                 source="192.0.2.7").username == "olena"
