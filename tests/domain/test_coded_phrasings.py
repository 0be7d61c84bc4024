"""Coded words in the many phrasings real registries use (issue 11, class 6)."""

from __future__ import annotations

import pytest

from parley.domain.coded import Sex, Status, map_rank, map_sex, map_status


@pytest.mark.parametrize(
    ("text", "status"),
    [("підтверджено полон", Status.CAPTURED), ("військовополонений /за даними МКЧХ/",
      Status.CAPTURED), ("статус: в/п", Status.CAPTURED), ("военнопленный - дані уточнюються",
      Status.CAPTURED), ("БЗВ.", Status.MISSING), ("не вийшов на зв'язок", Status.MISSING),
     ("звільнений з полону", Status.RELEASED), ("died in captivity", Status.DECEASED)],
)  # fmt: skip
def test_status_phrasings(text: str, status: Status) -> None:
    assert map_status(text) is status


def test_an_unknown_status_is_still_refused_by_the_strict_mapper() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        map_status("на канікулах")


@pytest.mark.parametrize(
    ("text", "rank"),
    [("starshyi soldat", "senior_soldier"), ("ст. лейтенант", "senior_lieutenant"),
     ("мол. сержант", "junior_sergeant"), ("ml. leitenant", "junior_lieutenant")],
)  # fmt: skip
def test_rank_abbreviations_and_romanisations(text: str, rank: str) -> None:
    assert map_rank(text) == rank


@pytest.mark.parametrize(("text", "sex"), [("(Ч)", Sex.M), ("(муж.)", Sex.M), ("(female)", Sex.F)])
def test_sex_in_brackets(text: str, sex: Sex) -> None:
    assert map_sex(text) is sex
