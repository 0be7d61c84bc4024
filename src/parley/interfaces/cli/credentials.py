"""Where ``parley login`` keeps its token: one file per workspace in a private config folder.

- The folder is ``PARLEY_CONFIG_DIR``, else the platform's user config folder (on Linux
  ``~/.config/parley``); it is made 0700 and each file 0600, written whole then renamed, so a
  reader never sees half a token and no other local user can read one.
- The file is named by a hash of the database URL (a SQLite path made absolute, the password
  left out): two workspaces never share a login, and the name reveals nothing of the URL.
- ``PARLEY_TOKEN`` in the environment wins over the file (scripts, CI, a shared terminal).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import typer

from parley.errors import InvalidInput

TOKEN_ENV = "PARLEY_TOKEN"
CONFIG_ENV = "PARLEY_CONFIG_DIR"


@dataclass(frozen=True, slots=True)
class Saved:
    """What a login left on disk for one workspace."""

    username: str
    token: str
    token_id: int | None
    database: str


def config_dir() -> Path:
    chosen = os.environ.get(CONFIG_ENV, "").strip()
    return Path(chosen) if chosen else Path(typer.get_app_dir("parley"))


def workspace_label(database_url: str) -> str:
    """The URL as the key sees it: an absolute SQLite path, no password."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=True)


def login_file(database_url: str) -> Path:
    key = hashlib.sha256(workspace_label(database_url).encode()).hexdigest()[:24]
    return config_dir() / f"login-{key}.json"


def env_token() -> str | None:
    return os.environ.get(TOKEN_ENV, "").strip() or None


def read(database_url: str) -> Saved | None:
    path = login_file(database_url)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Saved(username=str(data["username"]), token=str(data["token"]),
                     token_id=int(data["token_id"]) if data.get("token_id") else None,
                     database=str(data.get("database", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InvalidInput(f"{path}: not a login file Parley wrote ({err}): delete it and run "
                           "'parley login'") from None


def write(database_url: str, saved: Saved) -> Path:
    """Write the login file 0600 in a 0700 folder (replacing an older one whole)."""
    folder = config_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = login_file(database_url)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"username": saved.username, "token": saved.token,
                   "token_id": saved.token_id, "database": saved.database}, out)
    os.replace(partial, path)
    return path


def forget(database_url: str) -> bool:
    path = login_file(database_url)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed
