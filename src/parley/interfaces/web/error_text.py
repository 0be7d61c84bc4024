"""Error messages in the user's language: the one translating function the web error handler
uses (``translate_error``).

A ``ParleyError`` carries its ``N_()``-marked template and its values (``parley.errors``), so
the handler translates the template and puts the values back, an enum or a ``Term`` by its
label ("manage lists", "керувати списками", never "manage_lists"), a nested ``Text`` or error
translated the same way (a ``TrustError`` too: it keeps a template and values like a
``ParleyError``, and so does the trust package's ``Phrase``: a success line of
``parley-verify``, or a fixed word such as "envelope payload"). A message raised without values
is its own template: translated when the catalog has it, shown as it came otherwise (a sentence
of the linkage engine or of the trust module passed on whole), so a new message never
disappears.
"""

from __future__ import annotations

from enum import Enum

from parley.domain.row_problems import reason_text
from parley.errors import ParleyError, Term, Text
from parley.interfaces.web.i18n import gettext, label
from parley.trust.errors import Phrase, TrustError


def translate_error(error: ParleyError) -> str:
    """The error's message in the current language (its sentence when nothing translates it)."""
    if not error.template:  # gettext("") would answer the catalog's header
        return str(error)
    translated = gettext(error.template)
    if error.values:
        return translated % {key: shown(value) for key, value in error.values.items()}
    return translated if translated != error.template else str(error)


def shown(value: object) -> str:
    """A value of a message as the reader sees it (a tuple of parts: each, joined by "; ")."""
    if isinstance(value, tuple):
        return "; ".join(shown(part) for part in value)
    if isinstance(value, ParleyError):
        return translate_error(value)
    if isinstance(value, TrustError):  # the trust package's own error, templated the same way
        if not value.values:
            return gettext(value.template) if value.template else str(value)
        return gettext(value.template) % {k: shown(v) for k, v in value.values.items()}
    if isinstance(value, (Text, Phrase)):  # a sentence or fixed words: ours and the trust's
        if not value.template:
            return ""
        if not value.values:  # a finished sentence: its "%" signs are its own
            return gettext(value.template)
        return gettext(value.template) % {k: shown(v) for k, v in value.values.items()}
    if isinstance(value, (Term, Enum)):
        return label(value)
    return str(value)


def reason(stored: str) -> str:
    """A quarantined row's stored (English) reason in the current language (template filter)."""
    return shown(reason_text(stored))
