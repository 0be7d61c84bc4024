"""Password hashing (argon2id), and the same hashing work for a user name that does not exist.

A login for an unknown user verifies the password against a dummy hash made with the same
parameters, so it costs as much time as a login for a real one: the answer's timing does not
tell whether the user exists.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 10

_hasher = PasswordHasher()
_dummies: dict[tuple[int, int, int, int, int], str] = {}


def _params(hasher: PasswordHasher) -> tuple[int, int, int, int, int]:
    return (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len,
            hasher.salt_len)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def spend_equal_work(password: str) -> None:
    """Verify ``password`` against a dummy hash of the current cost: the work (and time) of a
    real check, with an answer that is always no."""
    key = _params(_hasher)
    dummy = _dummies.get(key)
    if dummy is None:
        dummy = _dummies[key] = _hasher.hash(secrets.token_urlsafe(24))
    verify_password(dummy, password)
