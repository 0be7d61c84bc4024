"""The canonical person record every source is mapped onto, and its validation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import cast

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
CODED_FIELDS: tuple[str, ...] = ("status", "sex", "citizenship", "rank")
# Accepted on input besides the canonical columns: a whole name in one column.
FULL_NAME_FIELD = "full_name"
# Extra fields with a known meaning: kept among a record's extras (the canonical schema is the
# staff's common ground and stays as it is), but recognised under their usual headers and read by
# the identity model when a source has them. A home or registered address is what civilian
# registries and relatives' requests carry that military lists do not.
ADDRESS_FIELD = "address"
IDENTITY_EXTRA_FIELDS: tuple[str, ...] = (ADDRESS_FIELD,)


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
    if type(value) is str:
        return " ".join(value.split())
    return " ".join(str(value).split())


# Registries repeat the same dates and coded words endlessly, so each distinct text is parsed
# once; the caches are bounded (LRU), so a million distinct values cannot grow memory without
# limit. A value's outcome is (canonical text, "") or ("", the reason it is refused).
_PARSE_CACHE = 65536


@lru_cache(maxsize=_PARSE_CACHE)
def _date_outcome(value: str) -> tuple[str, str]:
    try:
        parsed: PartialDate | None = parse_partial_date(value)
    except ValueError as err:
        return "", str(err)
    return (str(parsed) if parsed else ""), ""


def _date(field_name: str, value: str) -> str:
    if not value:
        return ""
    canonical, error = _date_outcome(value)
    if error:
        raise InvalidRecord(field_name, error, value)
    return canonical


# The code a coded field gets when its word is not in the vocabulary (the word itself is kept).
UNKNOWN_CODE = "unknown"
_CODED: dict[str, Callable[[str], object]] = {
    "status": map_status, "sex": map_sex, "citizenship": map_citizenship, "rank": map_rank,
}


@lru_cache(maxsize=_PARSE_CACHE)
def _coded_outcome(name: str, original: str) -> tuple[str, str]:
    try:
        return str(_CODED[name](original)), ""
    except ValueError as err:
        return "", str(err)


def build_record(
    values: Mapping[str, object],
    *,
    extras: Mapping[str, object] | None = None,
    strict_coded: bool = True,
    keep_unknown: bool = False,
) -> tuple[CanonicalRecord, list[str]]:
    """Validate one mapped row; raise ``InvalidRecord`` naming the field, or return it and warnings.

    ``strict_coded=False`` (one-shot linkage) turns an unmappable coded value into a warning and an
    empty canonical value instead of an error, since only identity fields matter there.
    ``keep_unknown=True`` (ingest) turns it into a warning and the code ``unknown`` (status, rank,
    citizenship), the original text kept beside it: a registry must not lose a person over a
    word its vocabulary does not know yet. A sex that is neither M nor F is still an error.
    """
    raw = {k: _clean(v) for k, v in values.items()}
    warnings: list[str] = []
    get = raw.get
    out: dict[str, str] = {k: get(k, "") for k in CANONICAL_FIELDS}
    out[FULL_NAME_FIELD] = get(FULL_NAME_FIELD, "")
    originals: dict[str, str] = {}

    if not (out["family_name"] or out["given_name"] or out["patronymic"]
            or out[FULL_NAME_FIELD]):
        raise InvalidRecord(
            "family_name", "no name part is given (surname, given name or patronymic)"
        )

    for date_field in DATE_FIELDS:
        if out[date_field]:
            out[date_field] = _date(date_field, out[date_field])

    for name in _CODED:
        original = out[name]
        if not original:
            continue
        canonical, error = _coded_outcome(name, original)
        if error:
            if keep_unknown and name != "sex":
                canonical = UNKNOWN_CODE
            elif strict_coded:
                raise InvalidRecord(name, error, original)
            warnings.append(f"{name}: {error}")
        if canonical != original:
            originals[name] = original
        out[name] = canonical

    record = CanonicalRecord(
        **out,
        originals=originals,
        extras={
            **{k: raw[k] for k in IDENTITY_EXTRA_FIELDS if raw.get(k)},
            **{k: _clean(v) for k, v in (extras or {}).items()},
        },
    )
    return record, warnings


# One encoder for every row: ``json.dumps`` with options builds a new encoder per call. Sorting
# the keys is the dearest part of encoding a row, and the rows of one file share their keys, so
# the sorted order is computed once per distinct set of keys; a dict already in sorted order
# encodes exactly as ``sort_keys=True`` would encode it.
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_HASH_JSON_ORDERED = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=1024)
def _sorted_keys(keys: tuple[object, ...]) -> tuple[str, ...] | None:
    """The keys in ``sort_keys`` order, or ``None`` when some key is not text."""
    if not all(type(k) is str for k in keys):
        return None
    return tuple(sorted(cast(tuple[str, ...], keys)))


def content_hash(raw: Mapping[str, object]) -> str:
    """A stable SHA-256 of a raw row, so a re-import of the same row is recognised."""
    order = _sorted_keys(tuple(raw))
    if order is not None:
        payload = _HASH_JSON_ORDERED.encode({k: _clean(raw[k]) for k in order})
    else:
        payload = _HASH_JSON.encode({k: _clean(v) for k, v in raw.items()})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
