"""The one error of the trust package.

It is a ``ValueError`` and not a ``ParleyError`` because this package must not import the rest of
Parley; the service layer translates it into ``IntegrityError`` / ``InvalidInput`` at its boundary.
Like a ``ParleyError`` it keeps its message as an ``N_()`` template and values, so a web page
that shows it (a checkpoint that does not verify, a bundle the mediator uploads) says it in the
reader's language; ``str(err)`` is the English sentence ``parley-verify`` prints. ``N_`` is
defined here again (the same marker as ``parley.i18n_marker``) so that ``parley-verify`` runs
with nothing of Parley but this package.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; translated where it is shown, not here."""
    return message


class Phrase:
    """A sentence, or a fixed part of one ("envelope payload"), kept as an ``N_()`` template and
    values like the error itself: ``str()`` is English for ``parley-verify``, a web page
    translates it (a success line, or a word given as a value of a ``TrustError``)."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        return self.template % self.values if self.values else self.template


class TrustError(ValueError):
    """A proof, signature, note, key or bundle does not verify; ``str(err)`` says what failed."""

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)
