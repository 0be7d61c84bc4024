"""Trust primitives: the RFC 9162 Merkle tree, C2SP signed notes and checkpoints, DSSE envelopes,
signed list bundles and Ed25519 key files.

This package is deliberately standalone: it imports only the standard library and
``cryptography``, so that a mediator can run ``parley-verify`` offline without the rest of Parley
(no database, web or Splink code) and can read all of it in an afternoon.
"""

from parley.trust.errors import TrustError

__all__ = ["TrustError"]
