"""Property tests: round trips through every romanisation, symmetry, identity."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parley.names import compare_names, latin_to_cyrillic, romanize
from parley.names.lexicon import lexicon

_LEX = lexicon()
_GIVEN = sorted({f for n in _LEX.names.values() for f in (*n.ua, *n.ru)})
_STEMS = ["Ковал", "Шевч", "Бондар", "Мельн", "Ткач", "Гнат", "Савч", "Лис", "Петр", "Олій",
          "Білоус", "Грищ", "Журавл", "Соловй", "Кузнец", "Мартин", "Яков", "Сидор", "Юрч"]
_SUFFIXES = ["енко", "ук", "юк", "ов", "ова", "ьов", "ьова", "ський", "ська", "ин", "ина",
             "ак", "ець", "ич", "ко", ""]
_SYSTEMS = ["ua2010", "icao", "gost_b", "bgn"]

surnames = st.builds(
    lambda s, x: s + x, st.sampled_from(_STEMS), st.sampled_from(_SUFFIXES)
).filter(lambda n: "ь" not in n or n[n.index("ь") - 1] in "лнтдсзрцв")
cyrillic_names = st.one_of(st.sampled_from(_GIVEN), surnames)
any_names = st.one_of(
    cyrillic_names,
    st.builds(lambda g, f: f"{g} {f}", st.sampled_from(_GIVEN), surnames),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz АБВабвгґіїєыёйя.,-", max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(name=cyrillic_names, system=st.sampled_from(_SYSTEMS))
def test_romanising_and_reading_back_finds_the_original(name: str, system: str) -> None:
    latin = romanize(name, system)
    candidates = [c.lower() for c in latin_to_cyrillic(latin, limit=None)]
    assert name.lower().replace("'", "") in [c.replace("'", "") for c in candidates]


@settings(max_examples=300, deadline=None)
@given(a=any_names, b=any_names)
def test_comparison_is_symmetric(a: str, b: str) -> None:
    assert compare_names(a, b) == compare_names(b, a)


@settings(max_examples=200, deadline=None)
@given(a=st.one_of(cyrillic_names, st.builds(lambda g, f: f"{g} {f}",
                                             st.sampled_from(_GIVEN), surnames)))
def test_identical_names_score_one(a: str) -> None:
    result = compare_names(a, a)
    assert result.score == 1.0 and result.same
