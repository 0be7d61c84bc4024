"""Error messages in the user's language (issue 12): one translating function for the web
error handler; denials name actions by their label; an unknown sentence passes unchanged."""

from __future__ import annotations

from parley.domain.actors import Role
from parley.interfaces.web import i18n
from parley.interfaces.web.error_text import translate_error
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, login, make_user


def _in(language: str, message: str) -> str:
    token = i18n.current_language.set(language)
    try:
        return translate_error(message)
    finally:
        i18n.current_language.reset(token)


def test_known_sentences_are_translated_with_their_values() -> None:
    assert _in("en", "no person 42") == "no person 42"
    uk = _in("uk", "no person 42")
    assert uk != "no person 42" and "42" in uk
    assert "manage_lists" not in _in("en", "ann (analyst, MOD) may not manage lists")
    denied = _in("uk", "ann (analyst, MOD) may not manage lists")
    assert "ann" in denied and "MOD" in denied and "may not" not in denied
    fields = _in("uk", "invalid input in: query.stage")
    assert "query.stage" in fields and "invalid input" not in fields
    assert _in("uk", "a sentence nobody templated 7") == "a sentence nobody templated 7"


def test_error_pages_speak_the_users_language(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ann", Role.ANALYST)
    login(client, "ann")
    english = client.get("/persons/987654")
    assert english.status_code == 404 and "no person 987654" in english.text
    client.headers["Accept-Language"] = "uk"
    ukrainian = client.get("/persons/987654")
    assert ukrainian.status_code == 404 and "no person" not in ukrainian.text
    assert "987654" in ukrainian.text
    refused = client.get("/admin/users")
    assert refused.status_code == 403 and "manage_users" not in refused.text
    assert "may not" not in refused.text
    api = client.get("/api/persons/987654", headers={"Accept": "application/json"})
    assert api.status_code == 404 and "987654" in api.json()["error"]
