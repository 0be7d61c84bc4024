"""Typed settings, read once from ``PARLEY_*`` environment variables.

One object holds every knob so that a wrong value is refused at start, not in the middle of a run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from parley.errors import InvalidInput

DEFAULT_DATA_DIR = Path("parley-data")
MIN_SECRET_BYTES = 32
"""Production refuses a shorter ``PARLEY_SECRET_KEY`` (256 bits, the HMAC-SHA256 block)."""


class Settings(BaseSettings):
    """Every setting Parley reads; each field's description is its documentation."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_", extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the store; empty means SQLite in ./parley-data/parley.db.",
    )
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="Folder for the default SQLite file, keys and exports.",
    )
    secret_key: str = Field(
        default="",
        description="Secret that signs web sessions and CSRF tokens; made in data_dir if empty.",
    )
    environment: str = Field(
        default="development",
        description="'development' or 'production'; production refuses unsafe defaults.",
    )
    session_minutes: int = Field(
        default=480, ge=1, description="How long a web session lasts without use."
    )
    max_failed_logins: int = Field(
        default=5, ge=1,
        description="Failed logins of one account from one source before that source is slowed "
        "down (it waits 2 s, then twice as long after each further failure).",
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="The longest wait the login slow-down imposes on a source."
    )
    reauth_minutes: int = Field(
        default=5, ge=1,
        description="How recent a password (or code) check must be to manage one's own tokens, "
        "second factor or password.",
    )
    login_window_minutes: int = Field(
        default=10, ge=1,
        description="Failed logins of unknown users from one source within this window are "
        "logged as one aggregated audit event with a count.",
    )
    checkpoint_every_events: int = Field(
        default=1000, ge=0,
        description="Sign an audit checkpoint after this many new events (0: never by count).",
    )
    checkpoint_every_minutes: int = Field(
        default=60, ge=0,
        description="Sign an audit checkpoint when the oldest unsigned event is this old "
        "(0: never by time).",
    )
    checkpoint_export_dir: Path | None = Field(
        default=None,
        description="Folder outside the database where every signed checkpoint is written; "
        "empty means data_dir/checkpoints.",
    )
    # Ingest limits (see parley.adapters.files.limits): a file over one is refused, a row over
    # one is quarantined, each with one line naming the limit.
    ingest_max_file_bytes: int = Field(
        default=1 << 30, ge=1, description="Largest file ingest reads (bytes).")
    ingest_max_row_bytes: int = Field(
        default=1 << 20, ge=64, description="Largest row (a CSV record or a JSON line, bytes).")
    ingest_max_field_chars: int = Field(
        default=65_536, ge=1, description="Longest single value in a row (characters).")
    ingest_max_columns: int = Field(
        default=1_000, ge=1, description="Most cells in one row.")
    ingest_max_cells: int = Field(
        default=100_000_000, ge=1, description="Most cells in one file.")
    ingest_max_nesting: int = Field(
        default=32, ge=1, description="Deepest nesting of a JSON line.")
    ingest_max_decompressed_bytes: int = Field(
        default=1 << 30, ge=1, description="Most bytes an XLSX workbook may unpack to.")
    ingest_max_shared_strings_bytes: int = Field(
        default=128 << 20, ge=1,
        description="Most bytes an XLSX workbook's shared strings may unpack to.")

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "production"}:
            raise ValueError("must be 'development' or 'production'")
        return value

    @model_validator(mode="after")
    def _strong_secret_in_production(self) -> Settings:
        if self.environment == "production":
            size = len(self.secret_key.encode())
            if size < MIN_SECRET_BYTES:
                raise ValueError(
                    f"PARLEY_SECRET_KEY must hold at least {MIN_SECRET_BYTES} bytes in production "
                    f"(it holds {size}); make one with: python -c \"import secrets; "
                    f"print(secrets.token_urlsafe(48))\"")
        return self

    @property
    def effective_checkpoint_export_dir(self) -> Path:
        return self.checkpoint_export_dir or self.data_dir / "checkpoints"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'parley.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings`` instead.

    A wrong value is refused with one line naming the setting (never a pydantic traceback).
    """
    try:
        return Settings()
    except ValidationError as err:
        raise InvalidInput(settings_error(err)) from None


def settings_error(err: ValidationError) -> str:
    """One line for every refused setting: ``PARLEY_X: reason; PARLEY_Y: reason``."""
    parts = []
    for problem in err.errors():
        where = "".join(str(p) for p in problem.get("loc", ()))
        reason = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"PARLEY_{where.upper()}: {reason}" if where else reason)
    return "; ".join(parts)
