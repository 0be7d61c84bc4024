"""How alike two given names or two patronymics are: the rules for the parts a lexicon knows.

A part is resolved once per distinct string to what the lexicon knows of it (the name ids it is
a form of, whether exactly, its sex, its initials), so "Oleksandr"/"Александр" is 1.0 while
"Oleksandr"/"Oleksii" (different names that share letters) is low. Typos survive: a misspelt
given name is resolved by bounded edit distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel, JaroWinkler

from parley.names.keys import given_skeleton
from parley.names.lexicon import lexicon
from parley.names.normalize import surname_sex
from parley.names.parse import NameParts
from parley.names.scripts import fold_to_latin


def initial_letter(text: str) -> str:
    """The Latin initial of a one-letter part ("O.", "О"), else ""."""
    letters = [ch for ch in text if ch.isalpha()]
    return fold_to_latin(letters[0])[:1] if len(letters) == 1 else ""


@dataclass(frozen=True, slots=True)
class Part:
    """A given name or patronymic, resolved once per distinct string."""

    initial: str
    ids: frozenset[str]
    exact: bool
    sex: str
    skeleton: str
    letters: frozenset[str]  # initials it may be written with (for "O." against Oleksandr)


@lru_cache(maxsize=262144)
def given_part(text: str) -> Part:
    """What the lexicon knows of a given name."""
    lex = lexicon()
    initial = initial_letter(text)
    if initial:
        return Part(initial, frozenset(), False, "", "", frozenset())
    res = lex.resolve_given(text)
    letters = (
        frozenset().union(*(lex.initials[i] for i in res.ids))
        if res.ids
        else frozenset(fold_to_latin(text)[:1])
    )
    return Part("", frozenset(res.ids), res.exact, res.sex, given_skeleton(text), letters)


@lru_cache(maxsize=262144)
def patronymic_part(text: str) -> Part:
    """What the lexicon knows of a patronymic (the father's name it is made of)."""
    lex = lexicon()
    initial = initial_letter(text)
    if initial:
        return Part(initial, frozenset(), False, "", "", frozenset())
    res = lex.resolve_patronymic(text)
    letters = (
        frozenset().union(*(lex.patronymic_initials[i] for i in res.ids))
        if res.ids
        else frozenset(fold_to_latin(text)[:1])
    )
    return Part("", frozenset(res.ids), res.exact, res.sex, given_skeleton(text), letters)


def part_score(a: Part, b: Part, check_sex: bool) -> float:
    """Similarity of two resolved parts; ``check_sex`` keeps the other sex's form of a given
    name (Oleksandra against Oleksandr) low."""
    if a.initial or b.initial:
        if a.initial and b.initial:
            return 1.0 if a.initial == b.initial else 0.0
        initial, word = (a.initial, b) if a.initial else (b.initial, a)
        return 0.85 if initial in word.letters else 0.0
    if a.ids and b.ids:
        if not a.ids.isdisjoint(b.ids):
            return 1.0 if a.exact and b.exact else 0.92
        score = 0.25  # two different known names, however alike they look (Oleksandr/Oleksii)
        if not (a.exact and b.exact) and slip_of(a, b):
            # A misspelling read as another name (Маар for Макар); its sex came from the
            # misspelt ending (Karian for Karina), so it does not count against the other.
            return 0.88
    else:
        score = max(
            max(JaroWinkler.normalized_similarity(x, y) - 0.04, Indel.normalized_similarity(x, y))
            for x in _skeletons(a)
            for y in _skeletons(b)
        )
        if a.ids or b.ids:
            # One side is a known name, the other an unknown string: a typo at best.
            score = min(score, 0.88)
    if check_sex and a.sex and b.sex and a.sex != b.sex:
        score = min(score, 0.3)
    return max(0.0, score)


def _skeletons(part: Part) -> frozenset[str]:
    """Every spelling skeleton a part stands for: all forms of its known name(s), or its own."""
    if not part.ids:
        return frozenset((part.skeleton,))
    lex = lexicon()
    return frozenset().union(*(lex.skeletons.get(i, frozenset()) for i in part.ids)) or (
        frozenset((part.skeleton,))
    )



def slip_of(a: Part, b: Part) -> bool:
    """One side, misspelt, is one slip from a form of the other side's name."""
    lex = lexicon()
    for fuzzy, other in ((a, b), (b, a)):
        if fuzzy.exact:
            continue
        for name_id in other.ids:
            if any(OSA.distance(fuzzy.skeleton, k, score_cutoff=2) <= 1
                   for k in lex.skeletons[name_id]):
                return True
    return False


def name_sex(parts: NameParts) -> str:
    """Sex of a name: an exactly known given name, else the patronymic's ending, else the
    surname's ending, else a misspelt given name (whose sex may come from the slip)."""
    lex = lexicon()
    fuzzy = ""
    if parts.given and not initial_letter(parts.given):
        res = lex.resolve_given(parts.given)
        if res.sex and res.exact:
            return res.sex
        fuzzy = res.sex
    if parts.patronymic and not initial_letter(parts.patronymic):
        res = lex.resolve_patronymic(parts.patronymic)
        if res.sex:
            return res.sex
    return (surname_sex(parts.family) if parts.family else "") or fuzzy
