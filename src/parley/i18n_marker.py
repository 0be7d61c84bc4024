"""The gettext marker every layer may import, the domain core included (it imports nothing).

``N_("no person %(id)s")`` returns its argument unchanged; it exists so the catalog extractor
(``parley.interfaces.web.catalog``, keyword ``N_``) finds the message where it is written, and
the interface that shows it translates it there, in the reader's language.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; translated where it is shown, not here."""
    return message
