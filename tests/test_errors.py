"""The exception tree's messages: a template and values, so every interface can say them in
its reader's language, while ``str(err)`` stays the English sentence the CLI and logs show."""

from __future__ import annotations

import pickle

import pytest

from parley.domain.actors import Action, Actor, Role
from parley.domain.lists import Status
from parley.errors import (
    N_,
    AccessDenied,
    Conflict,
    InvalidInput,
    InvalidRecord,
    NotFound,
    ParleyError,
    RecordError,
    Term,
    Text,
    in_file,
)


def test_a_template_with_values_reads_as_its_english_sentence() -> None:
    err = InvalidInput(N_("stage %(stage)s holds %(count)s, more than %(limit)s"),
                       stage=2, count=31, limit=30)
    assert str(err) == "stage 2 holds 31, more than 30"
    assert err.template == "stage %(stage)s holds %(count)s, more than %(limit)s"
    assert err.values == {"stage": 2, "count": 31, "limit": 30}
    assert err.exit_code == 2 and err.http_status == 422


def test_enums_terms_and_parts_are_shown_in_english_words() -> None:
    err = Conflict(N_("%(where)s: cannot go from %(status)s to %(to)s; %(who)s may not %(act)s"),
                   where=in_file("a.csv", 4, "status"), status=Status.HELD_BACK,
                   to=Status.APPROVED, who=Term("family_liaison"),
                   act=Term(Action.MANAGE_LISTS.value))
    assert str(err) == ("a.csv, line 4, field status: cannot go from held_back to approved; "
                        "family liaison may not manage lists")
    assert str(Text(N_(" (and %(count)s more)"), count=3)) == " (and 3 more)"


def test_a_finished_sentence_is_its_own_template_and_keeps_its_percent_signs() -> None:
    err = NotFound("no plan 7 (100% sure)")
    assert str(err) == "no plan 7 (100% sure)" and err.template == str(err)
    assert err.values == {}
    assert NotFound().args == () and str(ParleyError("x", 2)) == "('x', 2)"


def test_subclasses_with_their_own_constructor_keep_working() -> None:
    record = InvalidRecord("birth_date", "not a date", "1990-13-01")
    assert str(record) == "birth_date: not a date" and record.value == "1990-13-01"
    located = RecordError("people.csv", 3, "sex", "expected M or F")
    assert str(located) == "people.csv: line 3: field sex: expected M or F"
    assert located.template == str(located)


def test_a_refusal_names_the_action_in_words() -> None:
    ann = Actor(username="ann", role=Role.ANALYST, agency="MOD")
    with pytest.raises(AccessDenied) as refused:
        ann.require(Action.MANAGE_USERS)
    assert str(refused.value) == "ann (analyst, MOD) may not manage users"
    assert refused.value.values["action"] == "manage_users"


def test_a_missing_value_fails_where_the_error_is_raised() -> None:
    with pytest.raises(KeyError):
        InvalidInput(N_("stage %(stage)s"), count=1)


def test_an_error_crosses_a_process_boundary_whole() -> None:
    # audit_scan's worker processes send their errors back pickled
    sent = InvalidInput(N_("%(where)s: %(share)s%% of %(total)s"),
                        where=in_file("a.csv", 2), share=5, total=Term("all_rows"))
    back = pickle.loads(pickle.dumps(sent))
    assert type(back) is InvalidInput and str(back) == "a.csv, line 2: 5% of all rows"
    assert back.template == sent.template and back.values.keys() == sent.values.keys()
