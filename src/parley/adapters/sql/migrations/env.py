"""Alembic environment: run on the connection the store hands over (``parley init``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from parley.adapters.sql.models import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no connection or sqlalchemy.url given to Alembic")
        with create_engine(url).begin() as conn:
            _run_on(conn)
        return
    _run_on(connection)


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
