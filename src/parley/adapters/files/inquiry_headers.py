"""Headers of relatives' inquiry files (UA/RU/EN): the inquirer's columns and the sought person's
last known place, date and circumstances; every other header maps as for ingest."""

from __future__ import annotations

from parley.adapters.files.headers import ColumnMap, header_key

INQUIRY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "inquiry_id": (
        "inquiry_id", "inquiry id", "inquiry no", "inquiry number", "inquiry", "request id",
        "номер звернення", "№ звернення", "звернення", "номер обращения", "№ обращения",
        "обращение",
    ),
    "inquirer_name": (
        "inquirer_name", "inquirer name", "inquirer", "applicant", "applicant name",
        "заявник", "піб заявника", "хто звертається", "заявитель", "фио заявителя",
        "кто обращается",
    ),
    "inquirer_relation": (
        "inquirer_relation", "inquirer relation", "relation", "relationship", "kinship",
        "ступінь спорідненості", "родинний звязок", "ким доводиться", "степень родства",
        "кем приходится", "родство",
    ),
    "inquirer_phone": (
        "inquirer_phone", "inquirer phone", "phone", "telephone", "phone number", "телефон",
        "телефон заявника", "контактний телефон", "телефон заявителя", "контактный телефон",
    ),
    "inquirer_email": (
        "inquirer_email", "inquirer email", "email", "e-mail", "електронна пошта",
        "ел. пошта", "электронная почта", "эл. почта",
    ),
    "consent": (
        "consent", "consent to contact", "згода", "згода на контакт", "согласие",
        "согласие на контакт",
    ),
    "capture_place": (
        "last known place", "last seen place", "last place", "останнє відоме місце",
        "місце зникнення", "последнее известное место", "место исчезновения",
    ),
    "capture_date": (
        "last known date", "last seen", "last contact", "дата зникнення",
        "остання звістка", "дата исчезновения", "последняя связь",
    ),
    "notes": ("circumstances", "обставини", "обстоятельства"),
}

OVERRIDES: dict[str, str] = {
    header_key(word): target for target, words in INQUIRY_SYNONYMS.items() for word in words
}


def inquiry_columns() -> ColumnMap:
    """A column map for one inquiry file (the inquirer's headers first, then ingest's)."""
    return ColumnMap(overrides=OVERRIDES)
