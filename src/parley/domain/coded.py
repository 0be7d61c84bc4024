"""Coded fields arrive as words in Ukrainian, Russian or English; map them to canonical values.

The original word is kept beside the canonical value by the caller; a word we cannot map is a
quarantine reason, never a guess.
"""

from __future__ import annotations

import re
from enum import StrEnum

from parley.domain import row_problems as rp


class Status(StrEnum):
    MISSING = "missing"
    CAPTURED = "captured"
    HELD = "held"
    CONVICTED = "convicted"
    RELEASED = "released"
    DECEASED = "deceased"
    UNKNOWN = "unknown"


class Sex(StrEnum):
    M = "M"
    F = "F"


def _key(text: str) -> str:
    # Brackets and trailing punctuation carry nothing: "(Ч)", "військовополонений;".
    text = re.sub(r"[()\[\]{};:!?\"«»]+", " ", text.strip().lower().replace("ё", "е"))
    return re.sub(r"[\s.\-_]+", " ", text).strip()


_STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.MISSING: (
        "missing", "mia", "missing in action", "зниклий безвісти", "зникла безвісти",
        "зниклий", "зникла", "безвісти зниклий", "пропал без вести", "пропала без вести",
        "пропавший без вести", "бвп",
    ),
    Status.CAPTURED: (
        "captured", "pow", "prisoner of war", "у полоні", "в полоні", "полонений", "полонена",
        "в плену", "в плену у", "пленный", "пленная", "військовополонений", "військовополонена",
        "военнопленный", "военнопленная", "взят в плен", "потрапив у полон",
    ),
    Status.HELD: (
        "held", "detained", "interned", "internee", "civilian internee", "затриманий",
        "затримана", "задержан", "задержана", "задержанный", "інтернований", "інтернована",
        "интернирован", "интернирована", "интернированный", "содержится", "утримується",
        "незаконно утримується",
    ),
    Status.CONVICTED: (
        "convicted", "sentenced", "засуджений", "засуджена", "осуждён", "осужден", "осуждена",
        "осужденный",
    ),
    Status.RELEASED: (
        "released", "repatriated", "exchanged", "звільнений", "звільнена", "освобождён",
        "освобожден", "освобождена", "повернутий", "обміняний", "вернулся",
    ),
    Status.DECEASED: (
        "deceased", "dead", "kia", "killed", "killed in action", "died", "загинув", "загинула",
        "помер", "померла", "погиб", "погибла", "умер", "умерла", "загиблий", "погибший",
    ),
    Status.UNKNOWN: ("unknown", "невідомо", "неизвестно", "н/д", "n/a"),
}
STATUS_LOOKUP: dict[str, Status] = {
    _key(word): status for status, words in _STATUS_WORDS.items() for word in words
}
# A phrasing not listed ("підтверджено полон", "находится в плену с 2022", "POW (confirmed)")
# is read by the stem it carries; the first stem found decides, most specific first (a
# "released from captivity" is released, "died in captivity" deceased).
_STATUS_STEMS: tuple[tuple[str, Status], ...] = (
    ("загин", Status.DECEASED), ("погиб", Status.DECEASED), ("помер", Status.DECEASED),
    ("умер", Status.DECEASED), ("смерт", Status.DECEASED), ("killed", Status.DECEASED),
    ("deceased", Status.DECEASED), ("dead", Status.DECEASED), ("died", Status.DECEASED),
    ("zahyn", Status.DECEASED), ("pogib", Status.DECEASED),
    ("звільн", Status.RELEASED), ("освобожд", Status.RELEASED), ("освобожден", Status.RELEASED),
    ("повернут", Status.RELEASED), ("повернув", Status.RELEASED), ("обмін", Status.RELEASED),
    ("обмен", Status.RELEASED), ("released", Status.RELEASED), ("repatriat", Status.RELEASED),
    ("exchanged", Status.RELEASED), ("zvilnen", Status.RELEASED),
    ("засудж", Status.CONVICTED), ("осужд", Status.CONVICTED), ("convict", Status.CONVICTED),
    ("sentenc", Status.CONVICTED), ("вирок", Status.CONVICTED), ("приговор", Status.CONVICTED),
    ("безвіст", Status.MISSING), ("без вест", Status.MISSING), ("missing", Status.MISSING),
    ("зник", Status.MISSING), ("пропа", Status.MISSING), ("mia", Status.MISSING),
    ("bezvist", Status.MISSING), ("znyk", Status.MISSING),
    ("полон", Status.CAPTURED), ("плен", Status.CAPTURED), ("captiv", Status.CAPTURED),
    ("captur", Status.CAPTURED), ("prisoner", Status.CAPTURED), ("pow", Status.CAPTURED),
    ("polon", Status.CAPTURED), ("plen", Status.CAPTURED),
    ("затрим", Status.HELD), ("задерж", Status.HELD), ("інтерн", Status.HELD),
    ("интерн", Status.HELD), ("detain", Status.HELD), ("intern", Status.HELD),
    ("утриму", Status.HELD), ("содерж", Status.HELD), ("held", Status.HELD),
    ("невідом", Status.UNKNOWN), ("неизвест", Status.UNKNOWN), ("unknown", Status.UNKNOWN),
)
# Abbreviations and phrases read whole: "в/п" (військовополонений), "БЗВ" (безвісти зниклий).
_STATUS_PHRASES: tuple[tuple[str, Status], ...] = (
    ("в/п", Status.CAPTURED), ("в п", Status.CAPTURED), ("бзв", Status.MISSING),
    ("розшук", Status.MISSING), ("розыск", Status.MISSING), ("не вийшов на зв", Status.MISSING),
    ("не выходит на связь", Status.MISSING), ("не вышел на связь", Status.MISSING),
)
_WORD_START = re.compile(r"(?:^|(?<=[\s(/,;:]))")

_SEX_WORDS: dict[Sex, tuple[str, ...]] = {
    Sex.M: ("m", "male", "man", "ч", "чол", "чоловіча", "чоловік", "м", "муж", "мужской",
            "мужчина", "ч."),
    Sex.F: ("f", "female", "woman", "ж", "жін", "жіноча", "жінка", "жен", "женский",
            "женщина", "w"),
}
SEX_LOOKUP: dict[str, Sex] = {_key(w): sex for sex, words in _SEX_WORDS.items() for w in words}

_CITIZENSHIP_WORDS: dict[str, tuple[str, ...]] = {
    "UKR": ("ukr", "ua", "ukraine", "україна", "украина", "українець", "громадянин україни"),
    "RUS": ("rus", "ru", "russia", "russian federation", "росія", "россия", "рф",
            "російська федерація", "российская федерация"),
    "BLR": ("blr", "by", "belarus", "білорусь", "беларусь"),
    "MDA": ("mda", "md", "moldova", "молдова"),
    "GEO": ("geo", "ge", "georgia", "грузія", "грузия"),
    "KAZ": ("kaz", "kz", "kazakhstan", "казахстан"),
    "POL": ("pol", "pl", "poland", "польща", "польша"),
    "USA": ("usa", "us", "united states", "сша"),
    "GBR": ("gbr", "gb", "uk", "united kingdom", "велика британія", "великобритания"),
    "STATELESS": ("stateless", "без громадянства", "без гражданства", "xxa"),
}
CITIZENSHIP_LOOKUP: dict[str, str] = {
    _key(w): code for code, words in _CITIZENSHIP_WORDS.items() for w in words
}

# Ranks: canonical English rank codes; Ukrainian, Russian and romanised spellings map onto them.
_RANK_WORDS: dict[str, tuple[str, ...]] = {
    "private": ("private", "pvt", "рядовий", "рядовой", "riadovyi", "ryadovoy", "soldier",
                "солдат", "soldat"),
    "senior_soldier": ("senior soldier", "старший солдат", "ефрейтор", "єфрейтор", "yefreitor",
                       "efreytor", "efreitor", "lance corporal", "starshyi soldat"),
    "junior_sergeant": ("junior sergeant", "молодший сержант", "младший сержант",
                        "corporal", "mladshiy serzhant"),
    "sergeant": ("sergeant", "sgt", "сержант", "serzhant"),
    "senior_sergeant": ("senior sergeant", "старший сержант", "starshyi serzhant",
                        "starshiy serzhant"),
    "master_sergeant": ("master sergeant", "головний сержант", "штаб-сержант", "старшина",
                        "starshina", "starshyna"),
    "warrant_officer": ("warrant officer", "прапорщик", "praporshchik", "praporshchyk",
                        "старший прапорщик"),
    "junior_lieutenant": ("junior lieutenant", "молодший лейтенант", "младший лейтенант"),
    "lieutenant": ("lieutenant", "lt", "лейтенант", "leitenant", "leytenant"),
    "senior_lieutenant": ("senior lieutenant", "старший лейтенант", "starshyi leitenant",
                          "starshiy leytenant"),
    "captain": ("captain", "capt", "капітан", "капитан", "kapitan"),
    "major": ("major", "майор", "maior", "mayor"),
    "lieutenant_colonel": ("lieutenant colonel", "підполковник", "подполковник", "pidpolkovnyk",
                           "podpolkovnik", "lt col"),
    "colonel": ("colonel", "полковник", "polkovnyk", "polkovnik", "col"),
    "general": ("general", "генерал", "brigadier general", "бригадний генерал",
                "генерал-майор", "major general", "генерал-лейтенант"),
    "sailor": ("sailor", "seaman", "матрос", "matros"),
}
RANK_LOOKUP: dict[str, str] = {_key(w): rank for rank, words in _RANK_WORDS.items() for w in words}


def _status_by_stem(key: str) -> Status | None:
    words = re.split(r"[\s(/,;:)]+", key)
    for stem, status in _STATUS_STEMS:
        # A Cyrillic stem may sit inside a compound (військовополонений, военнопленный).
        inside = not stem.isascii() and len(stem) >= 4
        if any(stem in w if inside else w.startswith(stem) for w in words):
            return status
    padded = f" {key} "
    for phrase, status in _STATUS_PHRASES:
        if f" {phrase} " in padded or (len(phrase) > 4 and phrase in key):
            return status
    return None


def map_status(text: str) -> Status:
    """Map a status word or phrase to ``Status``; ``ValueError`` names it when it is unknown."""
    key = _key(text)
    found = STATUS_LOOKUP.get(key) or _status_by_stem(key)
    if found is None:
        raise ValueError(f"unknown status '{text.strip()}'")
    return found


def map_sex(text: str) -> Sex:
    found = SEX_LOOKUP.get(_key(text))
    if found is None:
        raise ValueError(rp.sentence(rp.UNKNOWN_SEX, value=text.strip()))
    return found


def map_citizenship(text: str) -> str:
    key = _key(text)
    found = CITIZENSHIP_LOOKUP.get(key)
    if found is None:
        if re.fullmatch(r"[a-z]{3}", key):
            return key.upper()
        raise ValueError(f"unknown citizenship '{text.strip()}'")
    return found


# Abbreviations typed before a rank word: "ст. лейтенант", "мол. сержант", "st. serzhant".
_RANK_PREFIXES: dict[str, str] = {
    "ст": "старший", "мол": "молодший", "мл": "младший", "st": "senior", "ml": "junior",
    "starshyi": "senior", "starshii": "senior", "starshiy": "senior", "starshij": "senior",
    "molodshyi": "junior", "molodshii": "junior", "mladshiy": "junior", "mladshii": "junior",
    "mladshij": "junior", "старш": "старший", "молодш": "молодший",
}
_RANK_ROOTS: dict[str, str] = {
    "soldat": "soldier", "serzhant": "sergeant", "leitenant": "lieutenant",
    "leytenant": "lieutenant", "lejtenant": "lieutenant", "solder": "soldier",
}


def _rank_variants(key: str) -> list[str]:
    words = key.split()
    if not words:
        return []
    out = [key]
    head = _RANK_PREFIXES.get(words[0])
    rest = [_RANK_ROOTS.get(w, w) for w in words[1:]]
    if head is not None and rest:
        out.append(" ".join([head, *words[1:]]))
        out.append(" ".join([head, *rest]))
    out.append(" ".join(_RANK_ROOTS.get(w, w) for w in words))
    return out


def map_rank(text: str) -> str:
    found = next(
        (RANK_LOOKUP[k] for k in _rank_variants(_key(text)) if k in RANK_LOOKUP), None
    )
    if found is None:
        raise ValueError(f"unknown rank '{text.strip()}'")
    return found
