"""From a Latin spelling back to its likely Ukrainian and Russian Cyrillic forms.

Why: a name typed in Latin must meet the same name in Cyrillic records, and a user searching
"Kovalov" wants to see Ковальов and Ковалёв. Known given names come straight from the lexicon.
Other words are decoded letter group by letter group with every reading the supported systems
allow (ia -> я or ія, y -> и, й or ы, kh -> х, h -> г, …); a candidate is kept when romanising it
by some system gives the input back, so the list is exact rather than guessed, and the
candidates are ordered by how natural their letter sequences are.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Final

from parley.names.keys import given_skeleton
from parley.names.lexicon import lexicon
from parley.names.scripts import fold_to_latin
from parley.names.translit import SYSTEMS, romanize_as

# Latin letter group -> Cyrillic readings (lowercase), longest groups tried first.
_READINGS: Final[dict[str, tuple[str, ...]]] = {
    "shch": ("щ",), "schtsch": ("щ",), "szcz": ("щ",), "shh": ("щ",), "sch": ("щ", "ш"),
    "tsch": ("ч",), "zgh": ("зг",), "tch": ("ч",), "sh": ("ш",), "sz": ("ш",), "ch": ("ч", "х"),
    "cz": ("ц", "ч", "ць"), "zh": ("ж",), "kh": ("х",), "ts": ("ц", "тс", "ць"), "tz": ("ц",),
    "yu": ("ю", "ью", "йу"), "iu": ("ю", "ію", "ию", "ью", "ыю"),
    "ya": ("я", "ья", "йа"), "ia": ("я", "ія", "ия", "ья", "ыя"),
    "ye": ("є", "е", "ье", "ъе"), "ie": ("є", "ие", "іе", "ье", "ъе"),
    "yo": ("ё", "ьо", "йо"), "io": ("ьо", "ё", "іо", "йо", "ио"), "yi": ("ї", "ий", "ый", "ії"),
    "ju": ("ю",), "ja": ("я",), "je": ("е", "є"), "jo": ("ё",),
    "e`": ("э",), "y`": ("ы", "и"), "i`": ("і",), "g`": ("ґ",), "''": ("ъ", "'"),
    "a": ("а",), "b": ("б",), "c": ("ц", "к", "ць"), "d": ("д", "дь"), "e": ("е", "э", "ё"),
    "f": ("ф",),
    "g": ("г", "ґ"), "h": ("г", "х"), "i": ("і", "и", "й", "ї"), "j": ("й",), "k": ("к",),
    "l": ("л", "ль"), "m": ("м",), "n": ("н", "нь"), "o": ("о",), "p": ("п",), "q": ("к",),
    "r": ("р", "рь"), "s": ("с", "сь"), "t": ("т", "ть"), "u": ("у",), "v": ("в", "вь"),
    "w": ("в",), "x": ("кс", "х"), "y": ("и", "й", "ы"), "z": ("з", "зь"), "`": ("ь",),
    "'": ("ь", "'"),
}
_GROUPS: Final = sorted(_READINGS, key=len, reverse=True)
_VOWELS: Final = frozenset("аеёиоуыэюяіїє")
_UA: Final = frozenset("іїєґ'")
_RU: Final = frozenset("ыэъё")
_MAX_PARTIAL: Final = 4096


def _implausible(cyr: str) -> bool:
    if cyr[:1] in ("ь", "ъ", "ы", "'") or (set(cyr) & _UA and set(cyr) & _RU):
        return True
    for x, y in itertools.pairwise(cyr):
        if x in "ьъ" and y in "ьъй":
            return True
        if x in _VOWELS and y in "ьъ":
            return True
        if x == "й" and y == "й":
            return True
    return False


# Common surname formants, to teach the letter model how surnames end.
_SURNAME_SEED: Final = (
    "коваленко шевченко бондаренко ткаченко кравченко олійник мельник шевчук поліщук бондар "
    "ткачук марченко савчук руденко мороз лисенко петренко клименко павленко кравчук кузьменко "
    "білоус гончаренко іванов соколов попов волков козлов новіков морозов павлов сидоренко "
    "ковальчук ковальський грищенко литвиненко яковенко гнатюк захарченко остапенко білик "
    "зінченко левченко тимошенко гордієнко пономаренко вовк кушнір головко литвин приходько "
    "панченко онищенко костенко тарасенко федоренко стельмах гуменюк демченко юрченко "
    "соловйов воробйов ковальов журавльов васильєв григор'єв алексєєв яковлев фролов орлов "
    "зайцев семенов смирнов кузнецов лебедєв федоров тарасов богданов чорновол мартинюк "
    "ковалёв соловьёв воробьёв журавлёв васильев григорьев алексеев лебедев полищук лысенко "
    "белоус новиков ковальский цыганков мирошниченко кушнир гордиенко черновол мартынюк "
    "ковальова соловйова іванова петрова ковальська ковальская ковалёва"
)


@lru_cache(maxsize=1)
def _bigram_model() -> dict[str, float]:
    """Log-frequencies of Cyrillic letter pairs in the lexicon's names and common surname
    formants, with word boundaries; ranks readings by how natural they look."""
    import math

    counts: dict[str, int] = {}
    lex = lexicon()
    words: list[str] = _SURNAME_SEED.split()
    for name in lex.names.values():
        words += [w.lower() for w in (*name.ua, *name.ru)]
    for forms in lex.patronymic_forms.values():
        words += [f.lower() for f in forms if not f.isascii()]
    for word in words:
        padded = f"^{word}$"
        for x, y in itertools.pairwise(padded):
            counts[x + y] = counts.get(x + y, 0) + 1
    total = sum(counts.values())
    return {k: math.log(v / total) for k, v in counts.items()}


def _naturalness(cyr: str) -> float:
    model = _bigram_model()
    floor = -16.0
    padded = f"^{cyr}$"
    return sum(model.get(x + y, floor) for x, y in itertools.pairwise(padded))


def _penalty(cyr: str) -> int:
    p = 0
    for i, (x, y) in enumerate(itertools.pairwise(cyr)):
        if x == "й" and y not in _VOWELS:
            p += 0 if i + 2 == len(cyr) else 2
        if x == "й" and y in _VOWELS:
            p += 2
        if y == "э" or y == "ъ":
            p += 2
        if x in "ьъ" and y in "оеэ":
            p += 1
    if cyr.endswith(("вь", "кь", "мь", "пь", "бь", "фь", "гь", "хь", "шь", "жь", "чь")):
        p += 3  # a final soft sign after these is rare in names
    if cyr[:1] in ("ї", "э", "й") or cyr[:2] in ("іа", "іу", "іо", "иа", "иу", "ио"):
        p += 3  # initial Ї/Э/Й or ia/iu/io for я/ю/ё are rare readings
    return p + sum(1 for ch in cyr if ch in "ьъ")


def _decode(word: str) -> list[str]:
    partial: list[tuple[int, str]] = [(0, "")]
    done: list[str] = []
    while partial:
        nxt: list[tuple[int, str]] = []
        for pos, cyr in partial:
            if pos == len(word):
                done.append(cyr)
                continue
            for group in _GROUPS:
                if word.startswith(group, pos):
                    for reading in _READINGS[group]:
                        cand = cyr + reading
                        if not _implausible(cand):
                            nxt.append((pos + len(group), cand))
        partial = nxt[:_MAX_PARTIAL]
    return done


def _round_trips(cyr: str, target: str) -> bool:
    for lang in ("uk", "ru"):
        for system in SYSTEMS:
            if fold_to_latin(romanize_as(cyr, system, lang)) == target:
                return True
    return False


@lru_cache(maxsize=65536)
def _word_candidates(word: str) -> tuple[str, ...]:
    raw = word.lower()
    raw = "".join(ch for ch in raw if ch.isalpha() or ch in "'`")
    if not raw:
        return ()
    target = fold_to_latin(raw)
    lex = lexicon()
    known: list[str] = []
    for name_id in lex.given_index.get(given_skeleton(raw), []):
        name = lex.names[name_id]
        for form in (*name.ua[:1], *name.ru[:1]):
            if form.lower() not in known:
                known.append(form.lower())
    decoded = [c for c in _decode(raw) if _round_trips(c, target)]
    if not decoded:
        decoded = [c for c in _decode(raw)]
    decoded.sort(key=lambda c: 4 * _penalty(c) - _naturalness(c))
    ordered: list[str] = list(known)
    for c in decoded:
        if c not in ordered:
            ordered.append(c)
    return tuple(ordered)


def _case_like(source: str, cyr: str) -> str:
    if source.isupper() and len(source) > 1:
        return cyr.upper()
    if source[:1].isupper():
        return cyr[:1].upper() + cyr[1:]
    return cyr


def latin_to_cyrillic(text: str, limit: int | None = 24) -> list[str]:
    """Likely Ukrainian and Russian Cyrillic forms of a Latin-written name, best first.

    Every candidate romanises back to ``text`` by at least one supported system (when any
    does). Multi-word input combines the best few readings of each word. ``limit`` bounds the
    list; None returns every exact reading.
    """
    words = text.split()
    if not words:
        return []
    per_word = [[_case_like(w, c) for c in _word_candidates(w)] or [w] for w in words]
    if len(per_word) == 1:
        out = per_word[0]
    else:
        width = 3
        out = [" ".join(combo) for combo in itertools.product(*(p[:width] for p in per_word))]
    return out if limit is None else out[:limit]
