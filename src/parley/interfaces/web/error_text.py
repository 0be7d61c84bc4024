"""Error messages in the user's language: the one translating function the web error handler
uses (``translate_error``).

Services raise ``ParleyError`` with an English sentence built from a template and values (an
id, a name). Here each known template is a pattern whose fixed words are marked with ``N_()``
for the catalog; the handler matches the sentence, translates the template and puts the values
back. A sentence no pattern knows is shown as it came, so a new message never disappears, and
``tests/interfaces/web/test_error_text.py`` keeps the common ones covered.

Denials name the action by its label in the user's language ("manage lists", "керувати
списками"), never by the internal action name ("manage_lists").
"""

from __future__ import annotations

import re

from parley.interfaces.web.i18n import N_, gettext, label

WHAT: dict[str, str] = {
    "person": N_("person"), "record": N_("record"), "source record": N_("source record"),
    "conflict": N_("conflict"), "user": N_("user"),
    "inquiry": N_("inquiry"), "task": N_("task"), "judgement": N_("judgement"),
    "import batch": N_("import batch"), "entry": N_("entry"), "case": N_("case"),
    "audit event": N_("audit event"), "token": N_("token"), "agency": N_("agency"),
}
"""The things a "no <thing> <id>" sentence names."""

_DENIED = re.compile(r"^(?P<who>\S+) \((?P<role>[a-z_]+), (?P<agency>[^)]*)\) may not "
                     r"(?P<action>[a-z ]+)$")
_THINGS = "|".join(re.escape(w) for w in sorted(WHAT, key=len, reverse=True))
_MISSING = re.compile(rf"^no (?P<what>{_THINGS}) (?P<id>\S+)$")
_FIXED: dict[str, str] = {m: m for m in (
    N_("no such page"),
    N_("that method is not allowed here"),
    N_("the request could not be served"),
    N_("something went wrong on our side; the request was not completed"),
    N_("no plan"),
    N_("no such import"),
)}
_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^invalid input in: (?P<fields>.+)$"), N_("invalid input in: %(fields)s")),
    (re.compile(r"^no list named '(?P<name>[^']*)'$"), N_("no list named '%(name)s'")),
    (re.compile(r"^no plan (?P<id>\d+)$"), N_("no plan %(id)s")),
    (re.compile(r"^conflict (?P<id>\d+) is (?P<state>[a-z]+), not open$"),
     N_("conflict %(id)s is %(state)s, not open")),
)


def translate_error(message: str) -> str:
    """``message`` in the current language when its template is known, else unchanged."""
    if message in _FIXED:
        return gettext(_FIXED[message])
    denied = _DENIED.match(message)
    if denied is not None:
        # The action's label ("import records"), as the enum labels of i18n declare it.
        words = label(denied["action"].replace(" ", "_"))
        return gettext("%(who)s (%(role)s, %(agency)s) may not %(action)s") % {
            "who": denied["who"], "role": label(denied["role"]),
            "agency": denied["agency"], "action": words}
    missing = _MISSING.match(message)
    if missing is not None:
        return gettext("no %(what)s %(id)s") % {"what": gettext(WHAT[missing["what"]]),
                                                  "id": missing["id"]}
    for pattern, template in _TEMPLATES:
        found = pattern.match(message)
        if found is not None:
            return gettext(template) % found.groupdict()
    return message
