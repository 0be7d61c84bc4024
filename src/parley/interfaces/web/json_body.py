"""JSON bodies of the API's large answers without FastAPI's generic encoder on every value.

``jsonable_encoder`` asks a dozen questions of each value (a Pydantic model? a dataclass? an
enum? a path?) and calls itself again for each key and each value: a page of 50 search results
cost 19 ms of CPU in it, more than the search. The values our services return are dicts, lists
and tuples of strings, numbers, booleans, ``None``, dates and times, so :func:`plain` turns
those itself, by exact type, and hands anything else to ``jsonable_encoder``: the same JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi.encoders import jsonable_encoder

_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """``jsonable_encoder(value)``, faster for the plain values services return."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {plain(k): plain(v) for k, v in value.items()
                if not (type(k) is str and k.startswith("_sa"))}  # as jsonable_encoder does
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if kind is datetime or kind is date:
        return value.isoformat()
    return jsonable_encoder(value)
