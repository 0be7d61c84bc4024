"""A quarantine reason stored as English is read back into its template and values."""

from __future__ import annotations

import re

import pytest

from parley.domain import row_problems as rp
from parley.errors import Text


@pytest.mark.parametrize("template", rp.TEMPLATES)
def test_every_template_reads_back_to_itself(template: str) -> None:
    names = re.findall(r"%\((\w+)\)s", template)
    values = {name: f"v{i} (x)" for i, name in enumerate(names)}
    found = rp.reason_text(rp.sentence(template, **values))
    assert found.template == template
    assert {k: str(v) for k, v in found.values.items()} == values


def test_a_reason_with_its_value_is_read_in_two_levels() -> None:
    stored = rp.sentence(rp.WITH_VALUE, reason=rp.sentence(rp.YEAR_RANGE, year=1812),
                         value="1812-01-01")
    found = rp.reason_text(stored)
    assert found.template == rp.WITH_VALUE and found.values["value"] == "1812-01-01"
    inner = found.values["reason"]
    assert isinstance(inner, Text) and inner.template == rp.YEAR_RANGE
    assert inner.values == {"year": "1812"}
    assert str(found) == stored


def test_an_unknown_reason_is_shown_as_it_came() -> None:
    found = rp.reason_text("50% of the row is noise")
    assert found.template == "50% of the row is noise" and not found.values
    assert str(found) == "50% of the row is noise"
