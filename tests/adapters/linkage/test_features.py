"""Feature preparation: numbers, dates, whole names."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage.calibration import expected_calibration_error, fit_isotonic
from parley.adapters.linkage.clustering import connected_clusters, one_to_one
from parley.adapters.linkage.features import (
    address_keys,
    date_digits,
    number_keys,
    prepare,
    serial_value,
)


def test_ocr_confusions_fold_to_one_key() -> None:
    assert number_keys("AB-105 7083")[1] == number_keys("A81O57O83")[1]
    assert number_keys("КА 123456")[0] == "KA123456"  # Cyrillic look-alikes
    assert number_keys("AB1057083")[1] != number_keys("AB1057088")[1]
    assert number_keys("") == (None, None)


def test_partial_and_free_text_dates() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "family_name": ["x"] * 4,
            "birth_date": ["1990-05", "approximately 1987", "14.03.1990", ""],
        }
    )
    f = prepare(frame)
    assert f.loc[0, "byr"] == 1990 and f.loc[0, "bmo"] == 5 and pd.isna(f.loc[0, "bdy"])
    assert f.loc[1, "byr"] == 1987 and pd.isna(f.loc[1, "bmo"])
    assert f.loc[2, "bdate"] == "1990-03-14"
    assert pd.isna(f.loc[3, "byr"]) and f.loc[3, "bdate"] is None


def test_whole_name_in_one_column_is_split() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "full_name": ["Ковальов Олександр Миколайович", ""],
            "family_name": ["", "Kovalev"],
            "given_name": ["", "Aleksandr"],
        }
    )
    f = prepare(frame)
    assert f.loc[0, "fam_key"] == f.loc[1, "fam_key"]
    assert f.loc[0, "giv_key"] == f.loc[1, "giv_key"]


def test_expected_calibration_error() -> None:
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) < 1e-9
    assert abs(expected_calibration_error([0.9] * 10, [False] * 10) - 0.9) < 1e-9


def test_isotonic_map_is_monotone() -> None:
    import numpy as np

    raw = np.linspace(0, 1, 100)
    calibrator = fit_isotonic(raw, raw > 0.7)
    assert calibrator is not None
    out = calibrator(raw)
    assert (np.diff(out) >= 0).all() and out[0] == 0.0 and out[-1] == 1.0


def test_clusters_and_one_to_one() -> None:
    pairs = pd.DataFrame(
        {
            "left_id": ["a", "b", "a"],
            "right_id": ["b", "c", "d"],
            "match_probability": [0.9, 0.8, 0.4],
        }
    )
    clusters = connected_clusters(["a", "b", "c", "d"], pairs, 0.5)
    assert dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True)) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
    }
    best = one_to_one(pairs.rename(columns={}))
    assert list(zip(best["left_id"], best["right_id"], strict=True)) == [("a", "b"), ("b", "c")]


def test_sex_read_from_the_given_name_alone_is_flagged() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "family_name": ["Kovalenko", "Kovalenko", "Kovalenko"],
            "given_name": ["Olena", "Olena", "Olena"],
            "patronymic": ["", "", "Ivanivna"],
            "sex": ["", "F", ""],
        }
    )
    f = prepare(frame)
    assert f["sex"].tolist() == ["F", "F", "F"]
    # Only record a's sex comes from its given name; the model must not count it twice.
    assert f["sex_giv"].tolist() == ["g", None, None]


def test_address_keys_survive_order_script_and_street_words() -> None:
    cyrillic = address_keys("вул. Садова, буд. 12, кв. 5, м. Харків")
    latin = address_keys("Kharkiv, Sadova St 12 apt 5")
    assert cyrillic[0] == latin[0] == "12 5 kharkiv sadova"
    assert address_keys("Kharkiv")[2] == ("kharkiv",)
    assert address_keys("вул.") == (None, None, None)
    # Lost or added spaces: the run-together key does not see them.
    assert address_keys("12 brae burn st")[1] == address_keys("12 braeburn street")[1]


def test_date_digits_keep_a_slip_across_date_parts() -> None:
    assert date_digits("1943-04-07") == "19430407"
    assert date_digits("1940-34-07") == "19403407"  # not a date, but one swap from the above
    assert date_digits("07.04.1943") == "19430407"
    assert date_digits("19430407") == "19430407"
    assert date_digits("1943") is None


def test_serial_value_is_the_trailing_number() -> None:
    assert serial_value("AB123456") == 123456
    assert serial_value("123-45") == 45
    assert serial_value("ABC") is None


def test_address_features_block_only_on_specific_addresses() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "family_name": ["x"] * 3,
            "address": ["12 Sadova St, Kharkiv", "Kharkiv", ""],
        }
    )
    f = prepare(frame)
    assert f.loc[0, "addr_blk"] == "12 kharkiv sadova"
    assert f.loc[1, "addr_key"] == "kharkiv" and pd.isna(f.loc[1, "addr_blk"])
    assert f.loc[2, "addr_key"] is None and f.loc[2, "addr_tok"] is None


@pytest.mark.parametrize(("written", "parts"), [
    ("08.01.92", (1992, 1, 8)), ("17/04/70", (1970, 4, 17)), ("8.1.05", (2005, 1, 8)),
    ("31.02.88", (1988, None, None)),
])  # fmt: skip
def test_a_two_digit_year_is_read(written: str, parts: tuple[int | None, ...]) -> None:
    """Hand-typed lists write "08.01.92"; read as unknown, the date could not vouch nor
    contradict (independent data: 7 % of a registry's dates)."""
    from parley.adapters.linkage.features import _date_parts, date_digits

    assert _date_parts(written) == parts
    if parts[2] is not None:
        assert date_digits(written) == f"{parts[0]:04d}{parts[1]:02d}{parts[2]:02d}"


@pytest.mark.parametrize(("given", "patronymic", "placed"), [
    ("Дмитрий Юрьевич", "Юрьевич", ("Дмитрий", "Юрьевич")),  # typed twice
    ("Юрьевич", "Дмитрий", ("Дмитрий", "Юрьевич")),  # the two fields swapped
    ("Mykolaiovych", "", ("", "Mykolaiovych")),  # a patronymic alone in the given field
    ("Дмитрий Юрьевич", "", ("Дмитрий", "Юрьевич")),
    ("Heinrich", "", ("Heinrich", "")),  # a given name that merely ends in -ich
    ("Анна Марія", "", ("Анна Марія", "")),  # a double given name
])  # fmt: skip
def test_a_patronymic_in_the_given_name_field_is_put_back(
    given: str, patronymic: str, placed: tuple[str, str]
) -> None:
    from parley.adapters.linkage.blocking_keys import place_given_patronymic

    assert place_given_patronymic(given, patronymic) == placed


def test_prepare_reads_a_swapped_patronymic_as_the_same_name() -> None:
    frame = pd.DataFrame({"record_id": ["a", "b"], "family_name": ["Коваль", "Коваль"],
                          "given_name": ["Дмитрий", "Юрьевич"],
                          "patronymic": ["Юрьевич", "Дмитрий"]})  # fmt: skip
    feats = prepare(frame)
    assert feats.loc[0, "giv_key"] == feats.loc[1, "giv_key"]
    assert feats.loc[0, "pat_key"] == feats.loc[1, "pat_key"]


def test_a_given_name_run_into_the_surname_column_beside_a_patronymic_is_read() -> None:
    """"StepanTITOV" | "" | "Fedorovich": the patronymic's own column does not stop the surname
    column from being read as surname and given name."""
    frame = pd.DataFrame({"record_id": ["a", "b"], "family_name": ["StepanTITOV", "Титов"],
                          "given_name": ["", "Степан"],
                          "patronymic": ["Fedorovich", "Федорович"]})  # fmt: skip
    feats = prepare(frame)
    for col in ("fam_key", "giv_key", "pat_key"):
        assert feats.loc[0, col] == feats.loc[1, col], col


def test_the_prior_is_refitted_to_the_matches_the_model_finds() -> None:
    """100 pairs with 20 bits of evidence each among 10,000 comparisons: the rate is 1 %,
    whatever the prior the deterministic rules guessed; every pair moves by the same weight."""
    import numpy as np

    from parley.adapters.linkage.calibration import refit_prior

    low = np.log2(1e-4 / (1 - 1e-4))
    pairs = pd.DataFrame({"match_weight": [low + 20.0] * 100 + [low - 5.0] * 50})
    pairs["match_probability"] = 1.0 / (1.0 + np.exp2(-pairs["match_weight"]))
    before = pairs["match_weight"].copy()
    rate = refit_prior(pairs, 1e-4, 10_000)
    assert rate == pytest.approx(0.01, rel=0.01)
    assert pairs["match_probability"].sum() == pytest.approx(rate * 10_000, rel=1e-4)
    shift = pairs["match_weight"] - before
    assert shift.nunique() == 1 and shift.iloc[0] > 6.0
