"""Why a row is quarantined, in the reader's language, although it is stored in English.

A quarantined row keeps its reason as the English sentence it had when it was refused: that is
what ingest stores (``tests/services/test_ingest_digest.py`` pins the stored bytes, and rows
refused before this module keep theirs), and what the quarantine CSV and the command line show.
Rather than store a second, translatable form beside it (a schema change, and old rows would
still have none), every reason is *written* from one of the ``N_()`` templates below by
:func:`sentence`, and a page turns a stored sentence back into its template and values with
:func:`reason_text` to translate it. The stored bytes are the same as before; a sentence no
template matches (an older wording, a message of a library) is shown as it came.

Pure: the readers (``adapters/files``), the record rules and the web page all import it.
"""

from __future__ import annotations

import re
from functools import cache

from parley.errors import InvalidRecord, Term, Text
from parley.i18n_marker import N_

# The file readers (and the per-row limits every reader applies).
ENCODING = N_("bytes not valid in the file's encoding (%(encoding)s)")
NOT_UTF8 = N_("bytes not valid UTF-8")
FIELD_COUNT = N_("the row has %(fields)s fields, the header has %(headers)s")
BEYOND_COLUMNS = N_("the row has values beyond the %(columns)s named columns")
NOT_JSON = N_("not valid JSON (%(why)s)")
NOT_READABLE_JSON = N_("not readable as JSON (%(why)s)")
TOO_DEEP_FOR_PARSER = N_("nested too deeply for the JSON parser")
NOT_AN_OBJECT = N_("the line is not a JSON object")
TOO_DEEP = N_("nested deeper than PARLEY_INGEST_MAX_NESTING (%(limit)s levels)")
ROW_BYTES = N_("the row is %(size)s bytes, more than PARLEY_INGEST_MAX_ROW_BYTES (%(limit)s)")
ROW_CELLS = N_("the row has %(cells)s cells, more than PARLEY_INGEST_MAX_COLUMNS (%(limit)s)")
FIELD_CHARS = N_("field '%(field)s' is %(chars)s characters, more than "
                 "PARLEY_INGEST_MAX_FIELD_CHARS (%(limit)s)")
# Ingest's own checks of a row, and the record rules.
NUL = N_("the row contains a NUL character")
TOO_LONG = N_("longer than %(limit)s characters")
WITH_VALUE = N_("%(reason)s (value '%(value)s')")
NO_NAME = N_("no name part is given (surname, given name or patronymic)")
NOT_A_DATE = N_("'%(value)s' is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY, "
                "YYYYMMDD or 17 травня 1990)")
YEAR_RANGE = N_("year %(year)s is out of range 1900–2100")
DAY_WITHOUT_MONTH = N_("a day without a month")
NO_SUCH_MONTH = N_("month %(month)s does not exist")
NO_SUCH_DAY = N_("day is out of range for month")  # Python's ``date()`` says it so
UNKNOWN_SEX = N_("unknown sex '%(value)s' (expected M/F, Ч/Ж, М/Ж)")
# PFIF: a refused person or note, named by its place in the document.
PFIF_PERSON = N_("person %(n)s: person_record_id and a name are required")
PFIF_NOTE = N_("note %(n)s: note_record_id and person_record_id are required")
PFIF_STATUS = N_("note %(n)s: status '%(status)s' is not a PFIF status")

TEMPLATES: tuple[str, ...] = (
    ENCODING, NOT_UTF8, FIELD_COUNT, BEYOND_COLUMNS, NOT_JSON, NOT_READABLE_JSON,
    TOO_DEEP_FOR_PARSER, NOT_AN_OBJECT, TOO_DEEP, ROW_BYTES, ROW_CELLS, FIELD_CHARS, NUL,
    TOO_LONG, WITH_VALUE, NO_NAME, NOT_A_DATE, YEAR_RANGE, DAY_WITHOUT_MONTH, NO_SUCH_MONTH,
    NO_SUCH_DAY, UNKNOWN_SEX, PFIF_PERSON, PFIF_NOTE, PFIF_STATUS,
)
NESTED = frozenset({"reason"})  # values that are a reason of their own, translated in turn

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def sentence(template: str, /, **values: object) -> str:
    """The English sentence a row is quarantined with (what is stored)."""
    return template % values if values else template


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a pattern that gives its values back; the template with the most
    literal text is tried first, so "(value '…')" wraps a reason only when nothing else fits."""
    out = []
    for template in TEMPLATES:
        parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, …
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)"
                        for i, part in enumerate(parts))
        literal = sum(len(part) for part in parts[::2])
        out.append((literal, re.compile(regex, re.S), template))
    out.sort(key=lambda item: -item[0])
    return tuple((pattern, template) for _, pattern, template in out)


def row_refused(stored: str) -> InvalidRecord:
    """The error for a row a reader refused as a whole (field "row", a word of the interface):
    its reason as template and values, so a page says it in the reader's language, while
    ``reason`` is the same English sentence that is stored."""
    return InvalidRecord(Term("row"), reason_text(stored))


def reason_text(stored: str) -> Text:
    """A stored reason as its template and values (to translate); unknown: itself, whole."""
    for pattern, template in _patterns():
        found = pattern.fullmatch(stored)
        if found:
            values: dict[str, object] = {
                k: reason_text(v) if k in NESTED else v for k, v in found.groupdict().items()}
            return Text(template, **values)
    return Text(stored)
