"""The given-name lexicon: every known form of a given name, and the patronymics derived from it.

Loaded once from ``data/given_names.tsv`` (see its header for where the knowledge comes from).
Each written form — Ukrainian, Russian, their romanisations in every supported system, the
common English/German/Polish spellings and the diminutives — is indexed by its
`given_skeleton`, so lookup is one dict access. Patronymics are derived by the grammar rules of
each language (Олексійович / Алексеевич / Олексіївна) and indexed the same way, pointing at the
father's name id. Unknown spellings (typos, OCR slips) fall back to a bounded edit-distance
search over the same index, cached per distinct string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from parley.names.keys import given_skeleton
from parley.names.scripts import UA_ONLY, Script, detect_script, fold_to_latin
from parley.names.translit import SYSTEMS, romanize_as


@dataclass(frozen=True, slots=True)
class GivenName:
    """One given name: its id, sex and every form we know, by kind."""

    id: str
    sex: str
    ua: tuple[str, ...]
    ru: tuple[str, ...]
    latin: tuple[str, ...]
    diminutives: tuple[str, ...]
    patronymics: tuple[str, ...]

    @property
    def english(self) -> str:
        """The usual English spelling (first Latin form of the data row)."""
        return self.latin[0] if self.latin else self.id.capitalize()


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a given-name or patronymic string resolves to.

    ``ids`` are the candidate name ids, most likely first (a diminutive like Саша has two);
    ``exact`` is False when found only by edit distance; ``sex`` is "M"/"F"/"".
    """

    ids: tuple[str, ...]
    exact: bool
    sex: str


NO_MATCH: Final = Resolution((), False, "")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _latin_forms(cyrillic: str, lang: str) -> set[str]:
    """All romanisations of one Cyrillic form, read both as Ukrainian and as Russian."""
    forms: set[str] = set()
    langs = ("uk",) if any(ch in UA_ONLY for ch in cyrillic.lower()) else (lang, "ru", "uk")
    for lg in langs:
        for system in SYSTEMS:
            forms.add(romanize_as(cyrillic, system, lg))
    return forms


_UA_VOWEL_ALT: Final = {"і": "о"}  # Яків -> Якович, Федір -> Федорович, Антін -> Антонович


def ua_patronymics(
    name: str, known: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """Ukrainian male and female patronymics of a Ukrainian given name, by rule.

    ``known`` (lowercase given names) stops the short form of an -ій name where its stem is a
    name of its own: Арсеній gives Арсенійович, not Арсенович, which is Арсен's.
    """
    n = name.lower()
    male: list[str] = []
    female: list[str] = []
    if n.endswith("ій"):
        s = n[:-2]
        male.append(s + "ійович")
        female.append(s + "іївна")
        if s not in known:
            male.append(s + "ович")
            female.append(s + "івна")
    elif n.endswith("й"):
        s = n[:-1]
        male.append(n + "ович")
        female.append(s + "ївна")
    elif n.endswith("ь"):
        male.append(n + "ович")
        female.append(n[:-1] + "івна")
    elif n.endswith(("о", "а", "я")):
        s = n[:-1]
        male += [s + "ович"]
        female += [s + "івна"]
        if n.endswith(("а", "я")):
            male.append(s + "ич")
    else:
        male.append(n + "ович")
        female.append(n + "івна")
        # The closed-syllable і alternates with о before a suffix: Федір -> Федорович.
        pos = n.rfind("і")
        if pos >= len(n) - 3 and pos > 0:
            alt = n[:pos] + "о" + n[pos + 1 :]
            male.append(alt + "ович")
            female.append(alt + "івна")
    return male, female


def ru_patronymics(name: str) -> tuple[list[str], list[str]]:
    """Russian male and female patronymics of a Russian given name, by rule."""
    n = name.lower()
    male: list[str] = []
    female: list[str] = []
    if n.endswith("ий"):
        s = n[:-2]
        male += [s + "ьевич", s + "иевич"]
        female += [s + "ьевна", s + "иевна"]
    elif n.endswith("й") or n.endswith("ь"):
        s = n[:-1]
        male.append(s + "евич")
        female.append(s + "евна")
    elif n.endswith(("а", "я")):
        s = n[:-1]
        male.append(s + "ич")
        female += [s + "ична", s + "инична"]
    elif n.endswith(("ж", "ш", "ч", "щ", "ц")):
        male.append(n + "евич")
        female.append(n + "евна")
    else:
        male.append(n + "ович")
        female.append(n + "овна")
    return male, female


def _first_letter(text: str) -> str:
    folded = fold_to_latin(text)
    return folded[:1]


def patronymic_sex(text: str) -> str:
    """"M" or "F" from a patronymic's ending in any script, "" when it does not look like one."""
    sk = given_skeleton(text)
    if sk.endswith(("ivna", "ovna", "evna", "icna", "vna", "ivni")):
        return "F"
    if sk.endswith(("ovic", "evic", "ic", "ovi", "ovyc")):
        return "M"
    return ""


class Lexicon:
    """Indexes over the given-name data; built once per process (`lexicon()`)."""

    def __init__(self, names: list[GivenName]) -> None:
        self.names: dict[str, GivenName] = {n.id: n for n in names}
        self.given_index: dict[str, list[str]] = {}
        self.patronymic_index: dict[str, list[str]] = {}
        self.patronymic_forms: dict[str, set[str]] = {}
        self.forms: dict[str, set[str]] = {}
        self.skeletons: dict[str, frozenset[str]] = {}
        self.language: dict[str, str] = {}  # lowercase Cyrillic form -> "uk" / "ru" / "both"
        self.initials: dict[str, frozenset[str]] = {}  # id -> first letters of its full forms
        self.patronymic_initials: dict[str, frozenset[str]] = {}
        self._known = frozenset(f.lower() for n in names for f in (*n.ua, *n.ru))
        for name in names:
            self._add_name(name)
        # Buckets by first symbol: a typo rarely hits the first letter, and this keeps the
        # edit-distance search to a few hundred keys.
        self._given_keys = _buckets(self.given_index)
        self._patronymic_keys = _buckets(self.patronymic_index)

    @staticmethod
    def _put(index: dict[str, list[str]], key: str, name_id: str) -> None:
        if not key:
            return
        ids = index.setdefault(key, [])
        if name_id not in ids:
            ids.append(name_id)

    def _add_name(self, name: GivenName) -> None:
        forms: set[str] = set(name.latin)
        for form in name.ua:
            forms.add(form)
            forms |= _latin_forms(form, "uk")
            self._note_language(form, "uk")
        for form in name.ru:
            forms.add(form)
            forms |= _latin_forms(form, "ru")
            self._note_language(form, "ru")
        for form in name.diminutives:
            forms.add(form)
            if detect_script(form) is not Script.LATIN:
                forms |= _latin_forms(form, "ru")
        self.forms[name.id] = forms
        self.skeletons[name.id] = frozenset(given_skeleton(f) for f in forms if f)
        full = set(name.latin)
        for form in name.ua:
            full |= _latin_forms(form, "uk")
        for form in name.ru:
            full |= _latin_forms(form, "ru")
        self.initials[name.id] = frozenset(_first_letter(f) for f in full) - {""}
        for form in forms:
            self._put(self.given_index, given_skeleton(form), name.id)
        if name.sex != "M":
            return
        patrs: set[str] = set(name.patronymics)
        for form in name.ua:
            m, f = ua_patronymics(form, self._known)
            patrs.update(m + f)
            for p in m + f:
                self._note_language(p, "uk")
        for form in name.ru:
            m, f = ru_patronymics(form)
            patrs.update(m + f)
            for p in m + f:
                self._note_language(p, "ru")
        all_forms: set[str] = set()
        for p in patrs:
            all_forms.add(p)
            if detect_script(p) is not Script.LATIN:
                all_forms |= _latin_forms(p, "uk" if any(c in UA_ONLY for c in p) else "ru")
        self.patronymic_forms[name.id] = all_forms
        self.patronymic_initials[name.id] = frozenset(_first_letter(f) for f in all_forms) - {""}
        for form in all_forms:
            self._put(self.patronymic_index, given_skeleton(form), name.id)

    def _note_language(self, form: str, lang: str) -> None:
        key = form.lower()
        old = self.language.get(key)
        self.language[key] = lang if old in (None, lang) else "both"

    def resolve_given(self, text: str) -> Resolution:
        return _resolve_given(self, text)

    def resolve_patronymic(self, text: str) -> Resolution:
        return _resolve_patronymic(self, text)

    def resolve_patronymic_loose(self, text: str) -> tuple[str, ...]:
        """Father ids of a word within edit distance of a patronymic form even when its ending
        is misspelt too; only for words of eight or more letters, where that is telling."""
        key = given_skeleton(text)
        if len(key) < 8:
            return ()
        exact = self.patronymic_index.get(key)
        return tuple(exact) if exact else self.fuzzy(key, patronymic=True)

    def sex_of(self, name_id: str) -> str:
        name = self.names.get(name_id)
        return name.sex if name else ""

    def fuzzy(self, key: str, patronymic: bool) -> tuple[str, ...]:
        """Ids whose indexed skeleton is within a small edit distance of ``key``, when the
        nearest one is unambiguous. Distance 1 for short keys, 2 from nine symbols up."""
        if len(key) < 3:
            return ()
        keys = (self._patronymic_keys if patronymic else self._given_keys).get(key[0], [])
        index = self.patronymic_index if patronymic else self.given_index
        limit = 2 if len(key) >= 9 else 1
        hits = process.extract(key, keys, scorer=OSA.distance, score_cutoff=limit, limit=6)
        if not hits:
            return ()
        best = min(d for _, d, _ in hits)
        ids: list[str] = []
        for k, d, _ in hits:
            if d == best:
                for i in index[k]:
                    if i not in ids:
                        ids.append(i)
        # A final vowel carries the sex (Oleksandr/Oleksandra): never cross it by a typo.
        female_key = key.endswith("a")
        ids = [i for i in ids if patronymic or (self.sex_of(i) == "F") == female_key]
        if len(key) < 5 and len(ids) > 1:
            return ()  # a short word near two names says nothing
        return tuple(ids)


def _buckets(index: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in index:
        out.setdefault(key[0], []).append(key)
    return out


@lru_cache(maxsize=131072)
def _other_readings(text: str) -> list[str]:
    """Skeletons of a Latin word read by German/Polish/scientific conventions it may follow
    without showing it: "ch" as х (Chrysanf-), an initial "s" as з (Senon-, Sachar-)."""
    lower = text.lower()
    if _CYRILLIC.search(lower):
        return []
    texts = [lower]
    if _BARE_CH.search(lower):
        texts.append(_BARE_CH.sub("kh", lower))
    if lower[:1] == "s" and lower[1:2] in ("a", "e", "i", "o", "u", "y"):
        texts += ["z" + t[1:] for t in texts]
    if "s" in lower and not _POLISH.search(lower):  # German: s for з, sch for ж
        texts += [_GERMAN_S.sub(_german_s, t) for t in texts]
        texts += [t.replace("sch", "zh", 1) for t in texts if "sch" in t]
    return [given_skeleton(t) for t in texts[1:]]


_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")
_BARE_CH: Final = re.compile(r"(?<!s)ch")
_POLISH: Final = re.compile(r"cz|sz|rz|[żłśćźń]")
_GERMAN_S: Final = re.compile(r"sch|ss|s")


def _german_s(match: re.Match[str]) -> str:
    return match.group(0) if len(match.group(0)) > 1 else "z"


def _exact(index: dict[str, list[str]], text: str, key: str) -> list[str] | None:
    exact = index.get(key)
    if exact:
        return exact
    for other in _other_readings(text):
        exact = index.get(other)
        if exact:
            return exact
    return None


def _resolve_given_cached(text: str) -> Resolution:
    lex = lexicon()
    key = given_skeleton(text)
    if not key:
        return NO_MATCH
    exact = _exact(lex.given_index, text, key)
    if exact:
        sexes = {lex.sex_of(i) for i in exact}
        return Resolution(tuple(exact), True, sexes.pop() if len(sexes) == 1 else "")
    ids = lex.fuzzy(key, patronymic=False)
    if not ids:
        return NO_MATCH
    sexes = {lex.sex_of(i) for i in ids}
    return Resolution(ids, False, sexes.pop() if len(sexes) == 1 else "")


def _resolve_given(lex: Lexicon, text: str) -> Resolution:
    return _resolve_given_cached(text)


@lru_cache(maxsize=131072)
def _resolve_patronymic_cached(text: str) -> Resolution:
    lex = lexicon()
    key = given_skeleton(text)
    if not key:
        return NO_MATCH
    sex = patronymic_sex(text)
    exact = _exact(lex.patronymic_index, text, key)
    if exact:
        return Resolution(tuple(exact), True, sex)
    if not sex:
        return NO_MATCH  # only a word that ends like a patronymic is read as a misspelt one
    ids = lex.fuzzy(key, patronymic=True)
    return Resolution(ids, False, sex) if ids else Resolution((), False, sex)


def _resolve_patronymic(lex: Lexicon, text: str) -> Resolution:
    return _resolve_patronymic_cached(text)


def _load() -> list[GivenName]:
    text = resources.files("parley.names").joinpath("data/given_names.tsv").read_text("utf-8")
    names: list[GivenName] = []
    header_seen = False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        cells += [""] * (7 - len(cells))
        names.append(
            GivenName(
                id=cells[0].strip(),
                sex=cells[1].strip(),
                ua=_split(cells[2]),
                ru=_split(cells[3]),
                latin=_split(cells[4]),
                diminutives=_split(cells[5]),
                patronymics=_split(cells[6]),
            )
        )
    return names


@cache
def lexicon() -> Lexicon:
    """The process-wide lexicon, built on first use (about a second)."""
    return Lexicon(_load())
