"""`parley names compare A B` and `parley names compare --pairs FILE` print one score for one
pair (issue 11, class 4): both with four decimals, over names in many scripts and spellings.
Synthetic names only."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from parley.interfaces.cli.names import names_app

runner = CliRunner()

NAMES = [
    # Ukrainian and Russian Cyrillic, Latin in several romanisations, forms from many hands
    "Ковальчук Тарас Іванович", "Ковальчук Тарас Иванович", "Kovalchuk Taras Ivanovych",
    "KOVALCHUK, Taras", "Т. І. Ковальчук", "ст. сержант Ковальчук Тарас", "TarasKovalchuk",
    "K0valchuk Taras", "Ковальчук Тарасс", "Mar'iana Bilous", "Марʼяна Білоус", "Мариана Белоус",
    # Korean in Cyrillic, Latin and Hangul
    "Пак Мин Чхоль", "Pak Min Chol", "박민철", "Ли Ён Су", "Lee Yong Su", "이영수",
    # Arabic in Cyrillic, Latin and Arabic script
    "Мухаммед Хасанов", "Muhammad Hasanov", "Mohammed Khasanov", "محمد حسن", "Muhammad Hasan",
    # Georgian and Armenian in Cyrillic, Latin and their own scripts
    "Гиорги Лежава", "Giorgi Lezhava", "გიორგი ლეჟავა", "Арам Саргсян", "Aram Sargsyan",
    "Արամ Սարգսյան",
    # Central Asian in Cyrillic and Latin
    "Фарход Турсунов", "Farhod Tursunov", "Farkhod Tursunov", "Нұрлан Сәрсенов",
    "Nurlan Sarsenov", "Oʻtkir Gʻulomov", "Уткир Гуломов",
]  # fmt: skip

_SCORE = re.compile(r"^\d\.\d{4}$")


def _single(a: str, b: str) -> str:
    result = runner.invoke(names_app, ["compare", a, b])
    assert result.exit_code == 0, result.output
    return result.stdout.split("\t")[0]


def test_single_and_file_print_the_same_score_for_every_pair(tmp_path: Path) -> None:
    pairs = [(a, b) for i, a in enumerate(NAMES) for b in NAMES[i + 1 :]]
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
    result = runner.invoke(names_app, ["compare", "--pairs", str(path)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1]) for r in rows] == pairs
    differ = []
    for (a, b), row in zip(pairs, rows, strict=True):
        single = _single(a, b)
        assert _SCORE.match(single) and _SCORE.match(row[2]), (single, row[2])
        if single != row[2]:
            differ.append((a, b, single, row[2]))
    assert not differ, differ[:5]
    # The file says "same" exactly where the single command does.
    same = {(r[0], r[1]) for r in rows if r[3] == "1"}
    assert ("Пак Мин Чхоль", "Pak Min Chol") in same
    assert ("Muhammad Hasanov", "Mohammed Khasanov") in same
    assert ("Гиорги Лежава", "Giorgi Lezhava") in same
    assert ("Ковальчук Тарас Іванович", "Мухаммед Хасанов") not in same


def test_single_compare_reads_names_as_the_file_does() -> None:
    """The file's cells are stripped; so are the two arguments."""
    assert _single("  Kovalchuk Taras ", "Ковальчук Тарас") == _single(
        "Kovalchuk Taras", "Ковальчук Тарас"
    )
