"""Header mapping: the usual English, Ukrainian and Russian column names onto the canonical
schema, tolerant of case, spaces, punctuation and apostrophe variants; a mapping file covers the
rest. Columns that map to nothing are kept as extra fields, never dropped."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from parley.domain.records import (
    ADDRESS_FIELD,
    CANONICAL_FIELDS,
    FULL_NAME_FIELD,
    IDENTITY_EXTRA_FIELDS,
)
from parley.errors import N_, InvalidInput, Text, UnreadableFile

# ``source`` is set by the import (the source's name), so a file's own "source" column is an extra.
TARGETS: tuple[str, ...] = (
    *(f for f in CANONICAL_FIELDS if f != "source"), FULL_NAME_FIELD, *IDENTITY_EXTRA_FIELDS
)
EXTRA = "extra"  # a mapping-file target that keeps a column as an extra field on purpose

SYNONYMS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record id", "rec id", "id", "№", "no", "nr", "record no", "record number", "ref",
        "reference", "case id", "case no", "case number", "request id", "list id", "entry id",
        "номер запису", "номер записи", "ід запису", "ид записи", "№ п/п", "№ з/п", "код запису",
        "код записи", "номер справи", "номер дела", "номер звернення", "номер обращения",
        "номер у списку", "номер в списке", "ідентифікатор", "идентификатор", "реєстраційний номер",
        "регистрационный номер",
    ),
    "family_name": (
        "surname", "family name", "last name", "lastname", "family", "прізвище", "фамилия",
    ),
    "given_name": (
        "name", "first name", "firstname", "given name", "given names", "forename", "ім'я",
        "имя", "імя",
    ),
    "patronymic": (
        "patronymic", "middle name", "father's name", "fathers name", "по батькові",
        "по-батькові", "отчество", "патронім",
    ),
    FULL_NAME_FIELD: (
        "full name", "fullname", "name and surname", "surname name patronymic", "person",
        "піб", "п.і.б.", "піп", "прізвище ім'я по батькові", "прізвище, ім'я, по батькові",
        "прізвище та ім'я", "фио", "ф.и.о.", "фамилия имя отчество", "фамилия, имя, отчество",
        "фамилия и имя",
    ),
    "birth_date": (
        "date of birth", "birth date", "birthdate", "dob", "d.o.b.", "born", "date born",
        "дата народження", "д.н.", "дата нар.", "народився", "дата рождения", "д.р.",
        "дата рожд.", "родился",
    ),
    "birth_place": (
        "place of birth", "birth place", "birthplace", "pob", "місце народження",
        "место рождения",
    ),
    "sex": ("sex", "gender", "стать", "пол"),
    "citizenship": (
        "citizenship", "nationality", "громадянство", "гражданство", "підданство",
    ),
    "military_unit": (
        "unit", "military unit", "unit number", "formation", "військова частина", "в/ч", "вч",
        "підрозділ", "частина", "воинская часть", "подразделение", "часть",
    ),
    "service_number": (
        "service number", "service no", "personal number", "military id", "service id",
        "особистий номер", "особовий номер", "номер жетона", "жетон", "личный номер",
        "личный жетон",
    ),
    "rank": (
        "rank", "military rank", "grade", "звання", "військове звання", "звание",
        "воинское звание",
    ),
    "document_number": (
        "passport", "passport number", "passport no", "document", "document number",
        "document no", "id document", "id number", "doc number", "паспорт", "номер паспорта",
        "серія та номер паспорта", "серія і номер паспорта", "номер документа", "документ",
        "серия и номер паспорта", "документ, що посвідчує особу", "national id",
        "national id number", "personal id number", "social security number", "ssn",
        "soc sec id", "рнокпп", "іпн", "ідентифікаційний номер", "ідентифікаційний код", "инн",
    ),
    "status": ("status", "current status", "статус", "стан", "состояние", "статус особи"),
    "capture_date": (
        "capture date", "date of capture", "date captured", "captured on", "дата полонення",
        "дата захоплення", "дата затримання", "дата пленения", "дата захвата", "дата задержания",
    ),
    "capture_place": (
        "capture place", "place of capture", "captured at", "location of capture",
        "місце полонення", "місце захоплення", "місце затримання", "место пленения",
        "место захвата", "место задержания",
    ),
    ADDRESS_FIELD: (
        "address", "home address", "registered address", "residential address",
        "address of residence", "place of residence", "residence", "домашня адреса",
        "адреса", "адреса проживання", "адреса реєстрації", "місце проживання",
        "місце реєстрації", "зареєстрований за адресою", "адрес", "домашний адрес",
        "адрес проживания", "адрес регистрации", "место жительства", "место регистрации",
        "прописка",
    ),
    "notes": (
        "notes", "note", "comment", "comments", "remarks", "примітки", "примітка", "коментар",
        "коментарі", "додаткова інформація", "примечания", "примечание", "комментарий",
        "комментарии", "дополнительная информация",
    ),
}


def header_key(text: str) -> str:
    """A header reduced to letters and digits, lower case (``Дата  народження:`` →
    ``датанародження``; ``№`` counts as ``no``), so layout and punctuation do not matter."""
    low = text.strip().lower().replace("ё", "е").replace("№", "no")
    low = re.sub(r"['ʼ’`\"]", "", low)
    return re.sub(r"[\W_]+", "", low)


# Columns that hold one part of an address (registries split it: region, district, city, street,
# house, flat; FEBRL-style lists: street_number, address_1, address_2, suburb, postcode, state).
# A file with no whole-address column gets ``address`` composed from them, in column order; the
# parts stay as extra fields too.
ADDRESS_PARTS: frozenset[str] = frozenset(
    header_key(word)
    for word in (
        "street", "street name", "street address", "street number", "street no",
        "house number", "house no", "house", "building", "flat", "apartment", "apt",
        "address 1", "address 2", "address line 1", "address line 2", "address1", "address2",
        "suburb", "locality", "city", "town", "village", "settlement", "postcode", "post code",
        "postal code", "zip", "zip code", "state", "province", "region", "district", "county",
        "вулиця", "будинок", "номер будинку", "квартира", "населений пункт", "місто", "село",
        "селище", "район", "область", "поштовий індекс", "індекс", "улица", "дом",
        "номер дома", "населенный пункт", "город", "поселок", "посёлок", "почтовый индекс",
        "индекс",
    )
)


def address_part_headers(headers: Iterable[str]) -> list[str]:
    """The headers, in order, that hold one part of an address."""
    return [h for h in headers if header_key(h) in ADDRESS_PARTS]


def compose_address(parts: Iterable[str]) -> str:
    """One address from its parts (empty parts skipped)."""
    return ", ".join(p.strip() for p in parts if p and p.strip())


_LOOKUP: dict[str, str] = {}
for _target in TARGETS:
    _LOOKUP[header_key(_target)] = _target
for _target, _words in SYNONYMS.items():
    for _word in _words:
        _LOOKUP.setdefault(header_key(_word), _target)


@lru_cache(maxsize=4096)
def map_header(header: str) -> str | None:
    """The canonical field a header means, or ``None`` (kept as an extra field)."""
    return _LOOKUP.get(header_key(header))


def header_score(cells: list[str]) -> int:
    """How many of ``cells`` are known headers (see ``ColumnMap.header_score``)."""
    return sum(1 for cell in cells if cell and map_header(cell) is not None)


@dataclass
class ColumnMap:
    """How one file's headers map onto canonical fields; the rest are extras."""

    overrides: Mapping[str, str] = field(default_factory=dict)
    columns: dict[str, str | None] = field(default_factory=dict)
    taken: dict[str, str] = field(default_factory=dict)
    _plan: _SplitPlan | None = field(default=None, init=False, repr=False, compare=False)

    def target(self, header: str) -> str | None:
        """The canonical field for ``header``, or ``None``; the first column to claim a field
        keeps it and a later duplicate becomes an extra, so no value is silently overwritten."""
        if header in self.columns:
            return self.columns[header]
        override = self.overrides.get(header_key(header))
        target = override if override is not None else map_header(header)
        if target == EXTRA:
            target = None
        if target is not None:
            if target in self.taken:
                target = None
            else:
                self.taken[target] = header
        self.columns[header] = target
        return target

    def header_score(self, cells: list[str]) -> int:
        """How many of ``cells`` would map to a canonical field (the mapping file counts), for
        finding the header row below title lines; changes nothing."""
        found = 0
        for cell in cells:
            if not cell:
                continue
            override = self.overrides.get(header_key(cell))
            target = override if override is not None else map_header(cell)
            if target is not None and target != EXTRA:
                found += 1
        return found

    def add_all(self, headers: Iterable[str]) -> None:
        for header in headers:
            self.target(header)

    def split(self, values: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """(canonical values, extras) of one raw row."""
        plan = self._plan
        if plan is None or values.keys() != plan.headers:
            # Rows of one file share their headers: the split is worked out once and replayed.
            plan = self._plan = _SplitPlan.of(self, list(values))
        canonical = dict(zip(plan.targets, plan.canonical(values), strict=True))
        if plan.address_parts is not None:
            canonical[ADDRESS_FIELD] = compose_address(plan.address_parts(values))
        return canonical, dict(zip(plan.extras, plan.extra(values), strict=True))

    def as_dict(self) -> dict[str, str | None]:
        return dict(self.columns)


def _getter(keys: list[str]) -> Callable[[Mapping[str, str]], tuple[str, ...]]:
    """``itemgetter`` that always returns a tuple (it returns a bare value for one key)."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if keys:  # one column (often an unmapped ``source``): no generator per row
        key = keys[0]
        return lambda values: (values[key],)
    return lambda values: ()


@dataclass(frozen=True, slots=True)
class _SplitPlan:
    headers: frozenset[str]
    targets: tuple[str, ...]
    canonical: Callable[[Mapping[str, str]], tuple[str, ...]]
    extras: tuple[str, ...]
    extra: Callable[[Mapping[str, str]], tuple[str, ...]]
    address_parts: Callable[[Mapping[str, str]], tuple[str, ...]] | None

    @classmethod
    def of(cls, columns: ColumnMap, headers: list[str]) -> _SplitPlan:
        mapped = [(h, columns.target(h)) for h in headers]
        canonical = [h for h, t in mapped if t is not None]
        extras = [h for h, t in mapped if t is None]
        targets = tuple(t for _, t in mapped if t is not None)
        parts = address_part_headers(extras)
        return cls(frozenset(headers), targets, _getter(canonical), tuple(extras),
                   _getter(extras),
                   _getter(parts) if parts and ADDRESS_FIELD not in targets else None)


def _check_target(path: Path, where: Text, header: str, target: str) -> str:
    target = target.strip()
    if target in TARGETS or target == EXTRA:
        return target
    raise InvalidInput(
        N_("%(name)s, %(where)s: '%(header)s' maps to unknown field '%(target)s' "
           "(use one of %(targets)s or '%(extra)s')"),
        name=path.name, where=where, header=header, target=target, targets=", ".join(TARGETS),
        extra=EXTRA,
    )


def load_mapping_file(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"header": "canonical_field"}`` or a CSV ``header,canonical_field``.

    Returns header keys (see ``header_key``) → canonical field or ``extra``.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise UnreadableFile(N_("mapping file %(path)s: cannot be read (%(err)s)"), path=path,
                             err=err) from None
    pairs: list[tuple[str, str, Text]] = []
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise UnreadableFile(N_("mapping file %(name)s: not valid JSON (%(err)s)"),
                                 name=path.name, err=err) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise InvalidInput(
                N_("mapping file %(name)s: expected an object of header → field name"),
                name=path.name,
            )
        pairs = [(str(k), v, Text(N_("key '%(key)s'"), key=k)) for k, v in data.items()]
    else:
        for number, row in enumerate(csv.reader(text.splitlines()), 1):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != 2:
                raise InvalidInput(
                    N_("mapping file %(name)s, line %(line)s: expected two columns "
                       "'header,canonical_field'"),
                    name=path.name, line=number,
                )
            if number == 1 and header_key(row[1]) in ("canonicalfield", "field", "canonical"):
                continue
            pairs.append((row[0], row[1], Text(N_("line %(line)s"), line=number)))
    return {header_key(h): _check_target(path, where, h, t) for h, t, where in pairs}
