"""Parley: identity verification and staged, verifiable prisoner exchanges."""

__version__ = "0.1.0"
