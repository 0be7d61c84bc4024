"""The store: one engine, short transactions, and migrations applied by ``parley init``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from parley.adapters.private_files import tighten, touch_private
from parley.adapters.sql.repositories import SqlRepositories
from parley.adapters.sql.session import RepoSession
from parley.errors import N_, StoreUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


def db_reason(err: SQLAlchemyError) -> str:
    """The driver's own first line, without SQLAlchemy's background links."""
    cause = getattr(err, "orig", None) or err
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _private_sqlite_file(path: Path) -> None:
    """Create the database file 0600 (its folder 0700 when Parley makes it) before SQLite opens
    it: SQLite gives the -wal and -shm files the mode of the database file."""
    touch_private(path)
    for companion in ("-wal", "-shm", "-journal"):
        tighten(path.with_name(path.name + companion))


def create_store_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Store:
    """Owns the engine; hands out one session per transaction (the unit of work)."""

    errors: tuple[type[Exception], ...] = (SQLAlchemyError,)
    """What the database layer itself may raise (beyond ``StoreUnavailable``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.repos = SqlRepositories()
        # Every session carries the repositories, so a service handed one can reach them.
        self._sessions = sessionmaker(bind=engine, class_=RepoSession, expire_on_commit=False,
                                      repos=self.repos)
        # Called after each committed transaction, outside it (the automatic audit checkpoint).
        self.after_commit: list[Callable[[], object]] = []

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Store:
        return cls(create_store_engine(url, **kwargs))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def label(self) -> str:
        """The database URL without its password (a key for per-database state, a log line)."""
        return self.engine.url.render_as_string(hide_password=True)

    def opener(self) -> Callable[[], Store]:
        """A picklable way to open this store again, in another process (its own engine)."""
        return partial(Store.from_url, self.engine.url.render_as_string(hide_password=False))

    def close(self) -> None:
        """Close every pooled connection (the end of a worker process's store)."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit on success, roll back on any error; the audit event rides in the same one."""
        session = self._sessions()
        try:
            if self.dialect == "sqlite":
                # Take the write lock up front so the audit chain's head cannot move under us.
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.commit()
        except OperationalError as err:
            session.rollback()
            raise StoreUnavailable(
                N_("the database cannot be used: %(db_reason)s"),
                db_reason=db_reason(err),
            ) from err
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        for hook in self.after_commit:
            hook()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (no write lock)."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()  # ends the transaction; loaded objects stay readable, detached

    # --- migrations -------------------------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def migrate(self) -> list[str]:
        """Bring the schema to the newest revision; returns the heads now applied."""
        config = self._alembic_config()
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "heads")
        except SQLAlchemyError as err:
            raise StoreUnavailable(
                N_("cannot migrate the database: %(db_reason)s"),
                db_reason=db_reason(err),
            ) from err
        return self.current_heads()

    def current_heads(self) -> list[str]:
        try:
            with self.engine.connect() as connection:
                return sorted(MigrationContext.configure(connection).get_current_heads())
        except SQLAlchemyError as err:
            raise StoreUnavailable(
                N_("cannot open the database: %(db_reason)s"),
                db_reason=db_reason(err),
            ) from err

    def latest_heads(self) -> list[str]:
        return sorted(ScriptDirectory.from_config(self._alembic_config()).get_heads())

    def is_current(self) -> bool:
        return self.current_heads() == self.latest_heads()
