"""``plain`` gives exactly what FastAPI's ``jsonable_encoder`` gives, for plain values and for
the others it hands on."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from fastapi.encoders import jsonable_encoder

from parley.interfaces.web.json_body import plain


class Colour(enum.StrEnum):
    RED = "red"


@dataclass
class Point:
    x: int
    when: date


def test_plain_values_encode_as_fastapi_encodes_them() -> None:
    value = {
        "id": 7, "name": "Петренко", "ok": True, "none": None, "ratio": 0.25,
        "imported_at": datetime(2026, 12, 6, 21, 0, 5, 123, tzinfo=UTC),
        "naive": datetime(2026, 1, 2, 3, 4, 5), "born": date(1990, 5, 12),
        "withheld": ("notes", "rank"), "nested": [{"a": (1, 2)}, [None, "x"]],
        "_sa_instance_state": "dropped", 3: "int key",
    }
    assert plain(value) == jsonable_encoder(value)
    assert "_sa_instance_state" not in plain(value)
    assert plain(value)["imported_at"] == "2026-12-06T21:00:05.000123+00:00"


def test_other_values_are_handed_to_fastapi() -> None:
    value = {"colour": Colour.RED, "where": PurePosixPath("/a/b"), "sum": Decimal("1.5"),
             "point": Point(1, date(2000, 1, 1)), "tags": {"x"}, "frozen": frozenset({"y"})}
    assert plain(value) == jsonable_encoder(value)
    assert plain(value)["colour"] == "red" and plain(value)["point"]["when"] == "2000-01-01"
