"""The canonical person record every source is mapped onto, and its validation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from parley.domain.coded import map_citizenship, map_rank, map_sex, map_status
from parley.domain.dates import PartialDate, parse_partial_date
from parley.errors import InvalidRecord

CANONICAL_FIELDS: tuple[str, ...] = (
    "record_id",
    "source",
    "family_name",
    "given_name",
    "patronymic",
    "birth_date",
    "birth_place",
    "sex",
    "citizenship",
    "military_unit",
    "service_number",
    "rank",
    "document_number",
    "status",
    "capture_date",
    "capture_place",
    "notes",
)
NAME_FIELDS: tuple[str, ...] = ("family_name", "given_name", "patronymic")
DATE_FIELDS: tuple[str, ...] = ("birth_date", "capture_date")
# Accepted on input besides the canonical columns: a whole name in one column.
FULL_NAME_FIELD = "full_name"


@dataclass(frozen=True, slots=True)
class CanonicalRecord:
    """One source row after parsing: canonical values plus the originals of coded fields."""

    record_id: str = ""
    source: str = ""
    family_name: str = ""
    given_name: str = ""
    patronymic: str = ""
    birth_date: str = ""
    birth_place: str = ""
    sex: str = ""
    citizenship: str = ""
    military_unit: str = ""
    service_number: str = ""
    rank: str = ""
    document_number: str = ""
    status: str = ""
    capture_date: str = ""
    capture_place: str = ""
    notes: str = ""
    full_name: str = ""
    originals: Mapping[str, str] = field(default_factory=dict)
    extras: Mapping[str, str] = field(default_factory=dict)

    def canonical(self) -> dict[str, str]:
        """The canonical columns only, in schema order."""
        return {name: getattr(self, name) for name in CANONICAL_FIELDS}

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _clean(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _date(field_name: str, value: str) -> str:
    if not value:
        return ""
    try:
        parsed: PartialDate | None = parse_partial_date(value)
    except ValueError as err:
        raise InvalidRecord(field_name, str(err), value) from None
    return str(parsed) if parsed else ""


def build_record(
    values: Mapping[str, object],
    *,
    extras: Mapping[str, object] | None = None,
    strict_coded: bool = True,
) -> tuple[CanonicalRecord, list[str]]:
    """Validate one mapped row; raise ``InvalidRecord`` naming the field, or return it and warnings.

    ``strict_coded=False`` (one-shot linkage) turns an unmappable coded value into a warning and an
    empty canonical value instead of an error, since only identity fields matter there.
    """
    raw = {k: _clean(v) for k, v in values.items()}
    warnings: list[str] = []
    out: dict[str, str] = {k: raw.get(k, "") for k in CANONICAL_FIELDS}
    out[FULL_NAME_FIELD] = raw.get(FULL_NAME_FIELD, "")
    originals: dict[str, str] = {}

    if not any(out[k] for k in (*NAME_FIELDS, FULL_NAME_FIELD)):
        raise InvalidRecord(
            "family_name", "no name part is given (surname, given name or patronymic)"
        )

    for date_field in DATE_FIELDS:
        out[date_field] = _date(date_field, out[date_field])

    coded = {"status": map_status, "sex": map_sex, "citizenship": map_citizenship, "rank": map_rank}
    for name, mapper in coded.items():
        original = out[name]
        if not original:
            continue
        try:
            canonical = str(mapper(original))
        except ValueError as err:
            if strict_coded:
                raise InvalidRecord(name, str(err), original) from None
            warnings.append(f"{name}: {err}")
            canonical = ""
        if canonical != original:
            originals[name] = original
        out[name] = canonical

    record = CanonicalRecord(
        **out,
        originals=originals,
        extras={k: _clean(v) for k, v in (extras or {}).items()},
    )
    return record, warnings


def content_hash(raw: Mapping[str, object]) -> str:
    """A stable SHA-256 of a raw row, so a re-import of the same row is recognised."""
    payload = json.dumps({k: _clean(v) for k, v in raw.items()}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
