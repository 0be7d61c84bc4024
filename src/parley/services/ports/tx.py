"""The unit of work as services see it: an opaque, open transaction."""

from __future__ import annotations

from typing import Protocol


class Tx(Protocol):
    """One open transaction, the unit of work. Services hand it to repositories, which write
    into it, and never look inside: the audit event and the change it records commit together."""
