"""The one error of the trust package.

It is a ``ValueError`` and not a ``ParleyError`` because this package must not import the rest of
Parley; the service layer translates it into ``IntegrityError`` / ``InvalidInput`` at its boundary.
"""

from __future__ import annotations


class TrustError(ValueError):
    """A proof, signature, note, key or bundle does not verify; ``str(err)`` says what failed."""
