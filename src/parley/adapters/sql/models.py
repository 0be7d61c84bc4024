"""Imports every table module so that ``Base.metadata`` holds the whole schema.

A feature that adds tables adds one import line here (and one Alembic revision).
"""

from parley.adapters.sql import auth_tables  # noqa: F401
from parley.adapters.sql import exchange_tables  # noqa: F401
from parley.adapters.sql import identity_tables  # noqa: F401
from parley.adapters.sql import tables  # noqa: F401
from parley.adapters.sql import trust_tables  # noqa: F401
from parley.adapters.sql.base import Base

metadata = Base.metadata
