"""Imports every table module so that ``Base.metadata`` holds the whole schema.

A feature that adds tables adds its module to the import below (and one Alembic revision).
"""

from parley.adapters.sql import (  # noqa: F401 - imported for their tables
    audit_tree,
    auth_tables,
    exchange_tables,
    family_tables,
    handover_tables,
    identity_tables,
    login_guard,
    page_indexes,
    pfif_tables,
    remains_tables,
    tables,
    trust_tables,
)
from parley.adapters.sql.base import Base

metadata = Base.metadata
