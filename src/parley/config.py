"""Typed settings, read once from ``PARLEY_*`` environment variables.

One object holds every knob so that a wrong value is refused at start, not in the middle of a run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("parley-data")


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
        default=5, ge=1, description="Failed logins in a row before an account is locked."
    )
    lockout_minutes: int = Field(default=15, ge=1, description="How long a lock-out lasts.")
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

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "production"}:
            raise ValueError("must be 'development' or 'production'")
        return value

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
    """The process-wide settings; tests build their own ``Settings`` instead."""
    return Settings()
