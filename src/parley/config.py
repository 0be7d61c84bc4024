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

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'parley.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings`` instead."""
    return Settings()
