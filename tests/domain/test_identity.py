"""Identity domain: judgements, constrained clustering, stable ids, review order, conflicts and
verification — all with plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parley.domain.identity import (
    Claim,
    ConflictKind,
    Decision,
    Judgement,
    Link,
    assign_person_ids,
    cluster_records,
    detect_person_conflicts,
    detect_shared_numbers,
    effective_judgements,
    is_strong_grade,
    pair_key,
    review_priority,
)
from parley.domain.verification import verify_identity

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def judge(a: str, b: str, decision: Decision, minutes: int = 0,
          retracted: bool = False) -> Judgement:
    at = T0 + timedelta(minutes=minutes)
    return Judgement(a, b, decision, "analyst", at, retracted_at=at if retracted else None)


def claim(record: str, agency: str, **kw: str) -> Claim:
    return Claim(record=record, source=f"{agency}-register", agency=agency,
                 reliability=kw.pop("reliability", "B2"), **kw)


def test_pair_key_orders_numerically_and_refuses_self_pairs() -> None:
    assert pair_key("10", "9") == ("9", "10")
    assert pair_key("b", "a") == ("a", "b")
    with pytest.raises(ValueError):
        pair_key("3", "3")


def test_decision_parse_accepts_cli_spelling_and_rejects_others() -> None:
    assert Decision.parse("no-match") is Decision.NO_MATCH
    assert Decision.parse("MATCH") is Decision.MATCH
    with pytest.raises(ValueError, match="not a decision"):
        Decision.parse("maybe")


def test_latest_active_judgement_is_in_force() -> None:
    first = judge("1", "2", Decision.MATCH, 0)
    later = judge("2", "1", Decision.NO_MATCH, 5)
    assert effective_judgements([later, first])[("1", "2")].decision is Decision.NO_MATCH
    withdrawn = judge("1", "2", Decision.NO_MATCH, 5, retracted=True)
    assert effective_judgements([first, withdrawn])[("1", "2")].decision is Decision.MATCH


def test_links_above_threshold_cluster_transitively() -> None:
    result = cluster_records(["1", "2", "3", "4"],
                             [Link("1", "2", 0.99), Link("2", "3", 0.97), Link("3", "4", 0.6)],
                             [])
    assert result.clusters["1"] == frozenset({"1", "2", "3"})
    assert result.clusters["4"] == frozenset({"4"})


def test_negative_judgement_is_never_merged_even_through_a_chain() -> None:
    # 1–2 and 2–3 are strong links, but a reviewer said 1 and 3 are different people.
    links = [Link("1", "2", 0.999), Link("2", "3", 0.99)]
    result = cluster_records(["1", "2", "3"], links, [judge("1", "3", Decision.NO_MATCH)])
    assert result.cluster_of["1"] != result.cluster_of["3"]
    assert result.cluster_of["1"] == result.cluster_of["2"]  # the stronger link wins the record
    assert ("2", "3") in result.refused_by_negative


def test_positive_judgement_joins_below_threshold_and_negative_overrides_model() -> None:
    result = cluster_records(["1", "2", "3"], [Link("1", "2", 0.999)],
                             [judge("2", "3", Decision.MATCH), judge("1", "2", Decision.NO_MATCH)])
    assert result.cluster_of["2"] == result.cluster_of["3"]
    assert result.cluster_of["1"] != result.cluster_of["2"]


def test_unsure_judgement_keeps_the_pair_from_being_auto_joined() -> None:
    result = cluster_records(["1", "2"], [Link("1", "2", 0.99)], [judge("1", "2", Decision.UNSURE)])
    assert result.cluster_of["1"] != result.cluster_of["2"]


def test_contradictory_positives_lose_to_the_negative_and_are_reported() -> None:
    js = [judge("1", "2", Decision.MATCH), judge("2", "3", Decision.MATCH),
          judge("1", "3", Decision.NO_MATCH)]
    result = cluster_records(["1", "2", "3"], [], js)
    assert result.cluster_of["1"] != result.cluster_of["3"]
    assert result.contradictory_positives == [("2", "3")]


def test_duplicate_free_list_is_clustered_one_to_one() -> None:
    # 1 and 2 are on the exchange list L; 3 is a registry record strongly like both.
    source_of = {"1": "L", "2": "L", "3": "R"}
    links = [Link("1", "3", 0.99), Link("2", "3", 0.98), Link("1", "2", 0.97)]
    result = cluster_records(["1", "2", "3"], links, [], source_of=source_of,
                             duplicate_free=["L"])
    assert result.cluster_of["1"] == result.cluster_of["3"]
    assert result.cluster_of["2"] != result.cluster_of["1"]
    assert {(a, b) for a, b, _ in result.refused_by_list} == {("2", "3"), ("1", "2")}
    plain = cluster_records(["1", "2", "3"], links, [], source_of=source_of)
    assert len(plain.clusters) == 1


def test_person_ids_stay_stable_across_merge_and_split() -> None:
    previous: dict[str, int | None] = {"1": 10, "2": 10, "3": 11, "4": None}
    # 1,2,3 merged now (10 has more records and survives); 4 is new.
    assigned, redirects = assign_person_ids(
        {"1": frozenset({"1", "2", "3"}), "4": frozenset({"4"})}, previous)
    assert assigned == {"1": 10, "4": None}
    assert redirects == {11: 10}
    # person 10 splits: the larger part keeps the id, the other is a new person.
    assigned, redirects = assign_person_ids(
        {"1": frozenset({"1"}), "2": frozenset({"2", "3"})}, {"1": 10, "2": 10, "3": 10})
    assert assigned == {"1": None, "2": 10}
    assert redirects == {}


def test_review_priority_prefers_uncertain_pairs_that_move_many_records() -> None:
    assert review_priority(0.5, 2) > review_priority(0.9, 2)
    assert review_priority(0.7, 10) > review_priority(0.7, 2)
    assert review_priority(0.5, 1) == pytest.approx(1.0)
    assert review_priority(1.0, 5) == pytest.approx(0.0, abs=1e-6)


def test_strong_grade_is_a_or_b_with_1_or_2() -> None:
    assert is_strong_grade("A1") and is_strong_grade("b2")
    assert not is_strong_grade("C1") and not is_strong_grade("B3") and not is_strong_grade("")


def test_deceased_in_one_source_held_in_another_is_a_conflict() -> None:
    found = detect_person_conflicts([claim("1", "MOD", status="deceased"),
                                     claim("2", "SSU", status="held")])
    assert [f.kind for f in found] == [ConflictKind.STATUS]
    assert "deceased" in found[0].description and "held" in found[0].description


def test_two_full_birth_dates_conflict_only_from_strong_sources() -> None:
    strong = [claim("1", "MOD", birth_date="1990-05-04", reliability="A1"),
              claim("2", "SSU", birth_date="1990-04-05", reliability="B2")]
    assert [f.kind for f in detect_person_conflicts(strong)] == [ConflictKind.BIRTH_DATE]
    weak = [strong[0], claim("2", "SSU", birth_date="1990-04-05", reliability="D4")]
    assert detect_person_conflicts(weak) == []
    partial = [strong[0], claim("2", "SSU", birth_date="1990", reliability="A1")]
    assert detect_person_conflicts(partial) == []


def test_one_service_number_on_two_persons() -> None:
    found = detect_shared_numbers({
        1: [claim("1", "MOD", service_number="AB-123456")],
        2: [claim("2", "DIU", service_number="ab 123456")],
        3: [claim("3", "DIU", service_number="XY000001")],
    })
    assert len(found) == 1
    pids, finding = found[0]
    assert pids == [1, 2] and finding.values == ("AB123456",)
    assert finding.fingerprint == detect_shared_numbers({
        2: [claim("2", "DIU", service_number="ab 123456")],
        1: [claim("1", "MOD", service_number="AB-123456")],
    })[0][1].fingerprint


def test_verified_needs_two_independent_agencies_on_a_strong_identifier() -> None:
    same_agency = [claim("1", "MOD", service_number="AB123456"),
                   Claim("2", "MOD-personnel", "MOD", "A1", service_number="AB123456")]
    assert not verify_identity(same_agency).verified
    two = [claim("1", "MOD", service_number="AB123456", reliability="A1"),
           claim("2", "SSU", service_number="AB 123456", reliability="C3"),
           claim("3", "OMB", service_number="AB999999", reliability="F6")]
    result = verify_identity(two)
    assert result.verified and result.identifier == "service number"
    by_agency = {r.agency: r for r in result.reasons}
    assert by_agency["MOD"].agrees and by_agency["SSU"].agrees
    assert not by_agency["OMB"].agrees
    assert "reliability A1" in by_agency["MOD"].sentence()
    assert "2 independent agencies (MOD, SSU)" in result.summary()


def test_name_with_full_birth_date_verifies_but_partial_date_does_not() -> None:
    full = [claim("1", "MOD", name_key="kovalenko ivan", birth_date="1990-05-04"),
            claim("2", "OMB", name_key="kovalenko ivan", birth_date="04.05.1990")]
    assert verify_identity(full).identifier == "full name and birth date"
    partial = [full[0], claim("2", "OMB", name_key="kovalenko ivan", birth_date="1990-05")]
    assert not verify_identity(partial).verified


def test_a_name_agreement_is_shown_as_written_not_as_the_internal_key() -> None:
    claims = [
        claim("1", "MOD", family_name="Бровко", given_name="Валерій", name_key="_brhmvsk valery",
              birth_date="1974-04-01"),
        claim("2", "OMB", family_name="Brovko", given_name="Valerii", name_key="_brhmvsk valery",
              birth_date="1974-04-01"),
    ]
    result = verify_identity(claims)
    assert result.verified and result.identifier == "full name and birth date"
    shown = [r.value for r in result.reasons]
    assert shown == ["Бровко Валерій 1974-04-01", "Brovko Valerii 1974-04-01"]
    assert "_brhmvsk" not in result.summary()
