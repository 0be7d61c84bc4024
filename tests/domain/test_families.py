"""Pure rules of relatives' inquiries: consent, channels, states, grouping, link decisions."""

from __future__ import annotations

import pytest

from parley.domain.families import (
    Candidate,
    Consent,
    build_inquiry,
    can_move,
    decide_link,
    group_key,
    parse_channel,
    parse_consent,
)
from parley.errors import InvalidRecord


@pytest.mark.parametrize(("text", "expected"), [
    ("так", Consent(contact=True)), ("да", Consent(contact=True)), ("yes", Consent(True)),
    ("ні", Consent()), ("", Consent()), ("contact+icrc", Consent(True, True)),
    ("так; МККК", Consent(True, True)), ("icrc", Consent(True, True)),
])
def test_consent_words(text: str, expected: Consent) -> None:
    assert parse_consent(text) == expected


def test_consent_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="consent"):
        parse_consent("maybe later")


def test_channels_in_three_languages() -> None:
    assert parse_channel("Гаряча лінія").value == "hotline"
    assert parse_channel("МККК").value == "icrc"
    with pytest.raises(ValueError, match="channel"):
        parse_channel("pigeon")


def test_states_never_go_back_to_open() -> None:
    assert can_move("open", "linked") and can_move("linked", "answered")
    assert not can_move("answered", "open") and not can_move("closed", "linked")


def test_build_inquiry_names_the_wrong_field() -> None:
    with pytest.raises(InvalidRecord) as err:
        build_inquiry({"inquirer_name": "X", "inquirer_email": "no-at-sign",
                       "family_name": "Melnyk"})
    assert err.value.field == "inquirer_email"
    with pytest.raises(InvalidRecord) as err:
        build_inquiry({"inquirer_name": "X"})
    assert err.value.field == "family_name"
    draft = build_inquiry({"inquiry_id": "7", "inquirer_name": "Олена", "consent": "так",
                           "family_name": "Мельник", "birth_date": "04.05.1990"})
    assert draft.sought.birth_date == "1990-05-04" and draft.inquirer.consent.contact


def test_group_key_needs_both_names() -> None:
    assert group_key("kovalenko", "ivan", "1990-05-04") == "kovalenko|ivan|1990"
    assert group_key("kovalenko", "", "1990") == ""


def test_link_decision() -> None:
    sure = Candidate(1, 0.99, (10,))
    near = Candidate(2, 0.7, (11,))
    assert decide_link([sure]) == ("linked", sure)
    assert decide_link([sure, near]) == ("review", sure)  # another person comes near
    assert decide_link([near]) == ("review", near)
    assert decide_link([Candidate(3, 0.2, (12,))]) == ("unmatched", None)
    assert decide_link([]) == ("unmatched", None)
