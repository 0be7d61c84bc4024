"""The one exception tree. Each interface turns it into its own form, in one place.

Foreign exceptions (SQLAlchemy, file readers, Splink) are translated at the boundary, so callers
never need to know which library failed.
"""

from __future__ import annotations


class ParleyError(Exception):
    """Base of every error Parley raises on purpose; ``str(err)`` is a sentence for a user."""

    exit_code = 1
    http_status = 400


class NotFound(ParleyError):
    exit_code = 3
    http_status = 404


class Conflict(ParleyError):
    exit_code = 4
    http_status = 409


class InvalidInput(ParleyError):
    """Input a user supplied is wrong; the message names file, line and field where known."""

    exit_code = 2
    http_status = 422


class InvalidRecord(InvalidInput):
    """One record failed validation."""

    def __init__(self, field: str, reason: str, value: str | None = None) -> None:
        self.field = field
        self.reason = reason
        self.value = value
        super().__init__(f"{field}: {reason}")


class UnreadableFile(InvalidInput):
    """A whole file cannot be read (missing, wrong format, wrong encoding)."""


class AccessDenied(ParleyError):
    exit_code = 5
    http_status = 403


class AuthenticationFailed(ParleyError):
    exit_code = 5
    http_status = 401


class ParityViolation(ParleyError):
    exit_code = 6
    http_status = 409


class IntegrityError(ParleyError):
    """Stored history does not verify: a tampered, missing or reordered audit event."""

    exit_code = 7
    http_status = 500


class Infeasible(ParleyError):
    exit_code = 6
    http_status = 409


class ReauthenticationRequired(AccessDenied):
    """Managing one's own account needs a recent password (or code) check in this session."""
