"""Error messages in the user's language: the one translating function the web error handler
uses (``translate_error``).

A ``ParleyError`` carries its ``N_()``-marked template and its values (``parley.errors``), so
the handler translates the template and puts the values back, an enum or a ``Term`` by its
label ("manage lists", "керувати списками", never "manage_lists"), a nested ``Text`` or error
translated the same way. Raise sites that still build a finished English sentence (the list,
review and conflict services) are matched here against the patterns of their templates; a
sentence no pattern knows is shown as it came, so a new message never disappears.
"""

from __future__ import annotations

import re
from enum import Enum

from parley.errors import ParleyError, Term, Text
from parley.interfaces.web.i18n import N_, gettext, label

WHAT: dict[str, str] = {
    "person": N_("person"), "record": N_("record"), "source record": N_("source record"),
    "conflict": N_("conflict"), "user": N_("user"),
    "inquiry": N_("inquiry"), "task": N_("task"), "judgement": N_("judgement"),
    "import batch": N_("import batch"), "entry": N_("entry"), "case": N_("case"),
    "audit event": N_("audit event"), "token": N_("token"), "agency": N_("agency"),
}
"""The things a "no <thing> <id>" sentence of an unconverted raise site names."""

_THINGS = "|".join(re.escape(w) for w in sorted(WHAT, key=len, reverse=True))
_MISSING = re.compile(rf"^no (?P<what>{_THINGS}) (?P<id>\S+)$")
_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^no list named '(?P<name>[^']*)'$"), N_("no list named '%(name)s'")),
    (re.compile(r"^no plan (?P<id>\d+)$"), N_("no plan %(id)s")),
    (re.compile(r"^conflict (?P<id>\d+) is (?P<state>[a-z]+), not open$"),
     N_("conflict %(id)s is %(state)s, not open")),
)


def translate_error(error: ParleyError) -> str:
    """The error's message in the current language (its sentence when nothing translates it)."""
    if not error.template:  # gettext("") would answer the catalog's header
        return str(error)
    translated = gettext(error.template)
    if error.values:
        return translated % {key: shown(value) for key, value in error.values.items()}
    if translated != error.template:
        return translated
    return translate_sentence(str(error))


def shown(value: object) -> str:
    """A value of a message as the reader sees it."""
    if isinstance(value, ParleyError):
        return translate_error(value)
    if isinstance(value, Text):
        if not value.template:
            return ""
        return gettext(value.template) % {k: shown(v) for k, v in value.values.items()}
    if isinstance(value, (Term, Enum)):
        return label(value)
    return str(value)


def translate_sentence(message: str) -> str:
    """A finished English sentence in the current language when its pattern is known."""
    if gettext(message) != message:
        return gettext(message)
    missing = _MISSING.match(message)
    if missing is not None:
        return gettext("no %(what)s %(id)s") % {"what": gettext(WHAT[missing["what"]]),
                                                  "id": missing["id"]}
    for pattern, template in _TEMPLATES:
        found = pattern.match(message)
        if found is not None:
            return gettext(template) % found.groupdict()
    return message
