"""Error messages in the user's language (issue 12): an error carries its template and values,
the web translates the template and shows enum values by their labels; a message without
values is translated when the catalog has it and shown as it came otherwise; every template
raised anywhere in src/parley has its Ukrainian translation with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from parley.domain.actors import Action, Actor, Role
from parley.domain.lists import Status
from parley.domain.policy import Kind
from parley.errors import (
    N_,
    AccessDenied,
    Conflict,
    InvalidInput,
    NotFound,
    ParleyError,
    Text,
    in_file,
)
from parley.interfaces.web import i18n
from parley.interfaces.web.catalog import PACKAGE, po_path
from parley.interfaces.web.error_text import translate_error
from parley.services.conflicts import list_conflicts
from parley.services.list_store import list_row
from parley.services.passwords import MIN_PASSWORD
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user
from tests.services.exchday_factory import build_day

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _in(language: str, error: ParleyError) -> str:
    token = i18n.current_language.set(language)
    try:
        return translate_error(error)
    finally:
        i18n.current_language.reset(token)


def test_a_template_is_translated_and_its_values_put_back() -> None:
    err = Conflict(N_("entry %(entry_key)s: cannot go from %(status)s to %(to)s "
                      "(allowed: %(allowed)s)"),
                   entry_key="UA-17", status=Status.HELD_BACK, to=Status.APPROVED,
                   allowed="withdrawn")
    english = _in("en", err)
    assert english == "entry UA-17: cannot go from held back to approved (allowed: withdrawn)"
    ukrainian = _in("uk", err)
    assert "UA-17" in ukrainian and "cannot go" not in ukrainian
    # the statuses by their Ukrainian labels, never their internal values
    assert i18n.translations("uk").gettext("held back") in ukrainian
    assert "held_back" not in ukrainian and "approved" not in ukrainian


def test_a_refusal_names_role_and_action_by_their_labels() -> None:
    ann = Actor(username="ann", role=Role.ANALYST, agency="MOD")
    try:
        ann.require(Action.MANAGE_LISTS)
    except AccessDenied as err:
        refused = err
    english, ukrainian = _in("en", refused), _in("uk", refused)
    assert english == "ann (analyst, MOD) may not manage lists"
    assert "ann" in ukrainian and "MOD" in ukrainian and "may not" not in ukrainian
    assert i18n.translations("uk").gettext("manage lists") in ukrainian
    assert i18n.translations("uk").gettext("analyst") in ukrainian and "manage" not in ukrainian


def test_parts_and_kinds_are_translated_with_the_sentence() -> None:
    err = InvalidInput(N_("%(where)s: empty"), where=in_file("lists.csv", 4, "record_id"))
    assert _in("en", err) == "lists.csv, line 4, field record_id: empty"
    assert _in("uk", err) == "lists.csv, рядок 4, поле record_id: порожньо"
    hidden = AccessDenied(N_("this %(kind)s is not available to you"), kind=Kind.SOURCE_RECORD)
    assert _in("en", hidden) == "this source record is not available to you"
    assert "source" not in _in("uk", hidden)
    inner = InvalidInput(N_("%(where)s: '%(text)s' is not yes, no or empty"),
                         where=in_file("a.csv", 2, "fit_to_travel"), text="maybe")
    outer = InvalidInput(N_("state: %(err)s"), err=inner)
    assert _in("uk", outer).startswith("стан: a.csv, рядок 2, поле fit_to_travel: «maybe»")
    assert _in("uk", InvalidInput(N_("%(where)s: %(err)s"), where="x", err=Text(""))) == "x: "


def test_a_message_without_values_is_its_own_template() -> None:
    assert _in("en", NotFound(N_("no plan"))) == "no plan"
    assert _in("uk", NotFound(N_("no plan"))) == i18n.translations("uk").gettext("no plan")
    assert _in("uk", NotFound(N_("no plan"))) != "no plan"
    assert "query.stage" in _in("uk", InvalidInput(N_("invalid input in: %(fields)s"),
                                                   fields="query.stage"))
    # a sentence passed on whole (the trust module's, the linkage engine's) is shown as it came
    assert _in("uk", Conflict("a sentence nobody templated 7")) == "a sentence nobody templated 7"
    assert _in("uk", NotFound()) == ""


def test_the_converted_services_speak_ukrainian(ws: Workspace, operator: Actor) -> None:
    """The list and conflict services once raised finished English sentences that a pattern
    table translated; now their templates are translated like any other."""
    with pytest.raises(NotFound) as missing, ws.store.reading() as tx:
        list_row(tx, "give")
    assert str(missing.value) == "no list named 'give'"
    assert _in("uk", missing.value) == "немає списку «give»"
    with pytest.raises(InvalidInput) as wrong:
        list_conflicts(ws, actor=operator, state="closed")
    assert str(wrong.value) == "state: 'closed' is not one of open, resolved, lapsed, all"
    assert _in("uk", wrong.value).startswith("стан: «closed» не є одним із: open")


def _raised_templates() -> list[tuple[str, int, str, set[str]]]:
    """Every ``raise X(N_("..."), name=value)`` under src/parley: where, template, names."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            first = node.exc.args[0] if node.exc.args else None
            if (isinstance(first, ast.Call) and isinstance(first.func, ast.Name)
                    and first.func.id == "N_" and isinstance(first.args[0], ast.Constant)):
                names = {k.arg for k in node.exc.keywords if k.arg is not None}
                found.append((str(path.relative_to(PACKAGE)), node.lineno,
                              str(first.args[0].value), names))
    return found


def test_every_raised_template_has_its_ukrainian_translation() -> None:
    raised = _raised_templates()
    assert len(raised) > 200  # the walk sees the converted raise sites
    with Path(po_path("uk")).open("rb") as po:
        catalog = read_po(po, locale="uk")
    problems = []
    for where, line, template, names in raised:
        wanted = set(PLACEHOLDER.findall(template))
        if names != wanted:
            problems.append(f"{where}:{line}: values {sorted(names)} for {sorted(wanted)}")
        message = catalog.get(template)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"{where}:{line}: no Ukrainian for {template!r}")
        elif set(PLACEHOLDER.findall(str(message.string))) != wanted:
            problems.append(f"{where}:{line}: the Ukrainian placeholders differ: {template!r}")
    assert problems == []


def test_field_errors_on_the_pages_are_in_ukrainian(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "boss", Role.ADMIN, clearance="top_secret")
    login(client, "boss")
    client.headers["Accept-Language"] = "uk"
    csrf = csrf_of(client.get("/admin/users").text)
    short = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "olena", "password": "short", "role": "analyst",
        "agency": "MOD"})
    assert short.status_code == 422
    assert f"пароль має містити щонайменше {MIN_PASSWORD} символів" in short.text
    assert "at least" not in short.text
    twice = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "boss", "password": "long enough pass",
        "role": "analyst", "agency": "MOD"})
    assert twice.status_code == 409 and "користувач «boss» уже існує" in twice.text
    cosmic = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "olena", "password": "long enough pass",
        "role": "analyst", "agency": "MOD", "clearance": "cosmic"})
    assert cosmic.status_code == 422
    assert "невідомий рівень допуску «cosmic»" in cosmic.text
    assert "unknown clearance" not in cosmic.text
    client.headers["Accept-Language"] = "en"
    english = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "olena", "password": "short", "role": "analyst",
        "agency": "MOD"})
    assert f"a password needs at least {MIN_PASSWORD} characters" in english.text


def test_a_bad_check_in_sheet_names_line_and_field_in_ukrainian(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    plan_id = build_day(ws, operator)
    make_user(ws, "field", Role.LOGISTICS, "MOI")
    login(client, "field")
    client.headers["Accept-Language"] = "uk"
    token = csrf_of(client.get("/stages/1").text)
    sheet = (b"record_id,side,outcome,will_to_return,fit_to_travel,note\n"
             b"G0,sideways,transferred,yes,yes,\n")
    broken = client.post(f"/stages/1/sheet?plan={plan_id}", data={"csrf_token": token},
                         files={"sheet": ("field.csv", sheet, "text/csv")})
    assert broken.status_code == 422
    assert "field.csv, рядок 2, поле side: «sideways» не є give чи receive" in broken.text
    assert "line 2" not in broken.text


def test_error_pages_speak_the_users_language(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ann", Role.ANALYST)
    login(client, "ann")
    english = client.get("/persons/987654")
    assert english.status_code == 404 and "no person 987654" in english.text
    client.headers["Accept-Language"] = "uk"
    ukrainian = client.get("/persons/987654")
    assert ukrainian.status_code == 404 and "немає особи 987654" in ukrainian.text
    refused = client.get("/admin/users")
    assert refused.status_code == 403 and "manage_users" not in refused.text
    assert "may not" not in refused.text
    api = client.get("/api/persons/987654", headers={"Accept": "application/json"})
    assert api.status_code == 404 and "987654" in api.json()["error"]


def test_a_trust_error_as_a_value_is_translated_too() -> None:
    """A checkpoint or bundle that does not verify reaches a page as the value of a service's
    error: its own template is translated with the sentence around it."""
    from parley.errors import N_, IntegrityError
    from parley.interfaces.web import i18n
    from parley.interfaces.web.error_text import translate_error
    from parley.trust.errors import TrustError

    inner = TrustError("signature by %(name)s does not verify", name="MOD")
    err = IntegrityError(N_("checkpoint #%(record_id)s (size %(record_size)s): %(err)s"),
                         record_id=3, record_size=9, err=inner)
    assert str(err) == "checkpoint #3 (size 9): signature by MOD does not verify"
    token = i18n.current_language.set("uk")
    try:
        shown = translate_error(err)
    finally:
        i18n.current_language.reset(token)
    assert shown.endswith("підпис MOD не проходить перевірку") and "3" in shown


def test_a_row_its_reader_refused_is_refused_in_ukrainian() -> None:
    """Issue 12: a relatives' inquiry row the file reader refused as a whole (wrong number of
    fields) was raised as a finished English sentence under the English word "row"; it is now
    a template with values, and its stored reason is the same English sentence as before."""
    from parley.domain import row_problems as rp

    stored = rp.sentence(rp.FIELD_COUNT, fields=12, headers=11)
    err = rp.row_refused(stored)
    assert (err.field, err.reason) == ("row", stored)  # what the quarantine keeps
    assert str(err) == "row: the row has 12 fields, the header has 11"
    assert _in("en", err) == "row: the row has 12 fields, the header has 11"
    assert _in("uk", err) == "рядок: у рядку полів: 12, у заголовку: 11"
    nested = rp.row_refused(rp.sentence(rp.WITH_VALUE, reason=rp.NO_SUCH_DAY, value="31.02"))
    assert nested.reason == "day is out of range for month (value '31.02')"
    assert "day is out of range" not in _in("uk", nested) and "31.02" in _in("uk", nested)
    assert _in("uk", rp.row_refused("an older wording")) == "рядок: an older wording"


def test_trust_words_given_as_values_are_translated_with_the_sentence() -> None:
    """Issue 12: "envelope payload", "signature by MOD", "inclusion path" are words of the
    message, not data: the English line is as parley-verify always printed it, a Ukrainian
    one is Ukrainian throughout."""
    from parley.errors import IntegrityError
    from parley.trust.dsse import verify_envelope
    from parley.trust.errors import TrustError
    from parley.trust.merkle import verify_inclusion

    with pytest.raises(TrustError) as payload:
        verify_envelope({"payload": "A", "payloadType": "x", "signatures": []}, {})
    assert str(payload.value) == "envelope payload is not valid base64"
    with pytest.raises(TrustError) as path:
        verify_inclusion(b"\0" * 32, 0, 2, [b"short"], b"\0" * 32)
    assert str(path.value) == "inclusion path entry 0 is 5 bytes, not 32"
    for err in (payload.value, path.value):
        ukrainian = _in("uk", IntegrityError(N_("%(where)s: %(why)s"), where="x", why=err))
        assert not re.search(r"envelope|payload|inclusion|path", ukrainian), ukrainian
