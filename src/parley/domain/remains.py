"""The dead (pure): forensic states of a set of remains and the lab results that move them."""

from __future__ import annotations

from enum import StrEnum


class ForensicState(StrEnum):
    RECEIVED = "received"
    EXAMINED = "examined"
    SAMPLED = "sampled"
    MATCHED = "matched"
    IDENTIFIED = "identified"
    RETURNED = "returned_to_family"


ORDER: tuple[ForensicState, ...] = tuple(ForensicState)


class LabResult(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    INCONCLUSIVE = "inconclusive"


_STATE_WORDS = {"returned to family": ForensicState.RETURNED, "returned": ForensicState.RETURNED,
                "отримано": ForensicState.RECEIVED, "обстежено": ForensicState.EXAMINED,
                "відібрано зразок": ForensicState.SAMPLED, "збіг": ForensicState.MATCHED,
                "ідентифіковано": ForensicState.IDENTIFIED,
                "передано родині": ForensicState.RETURNED}
_RESULT_WORDS = {"match": LabResult.MATCH, "matched": LabResult.MATCH, "збіг": LabResult.MATCH,
                 "no_match": LabResult.NO_MATCH, "no match": LabResult.NO_MATCH,
                 "exclusion": LabResult.NO_MATCH, "inconclusive": LabResult.INCONCLUSIVE}


def parse_state(text: str) -> ForensicState:
    key = " ".join(text.strip().lower().replace("_", " ").split())
    if not key:
        return ForensicState.RECEIVED
    for state in ForensicState:
        if key == state.value.replace("_", " "):
            return state
    if key in _STATE_WORDS:
        return _STATE_WORDS[key]
    raise ValueError(f"'{text}' is not a forensic state "
                     f"({', '.join(s.value for s in ForensicState)})")


def parse_result(text: str) -> LabResult:
    key = " ".join(text.strip().lower().split())
    if key not in _RESULT_WORDS:
        raise ValueError(f"'{text}' is not a lab result (match, no_match, inconclusive)")
    return _RESULT_WORDS[key]


def advance(current: str, target: ForensicState) -> ForensicState:
    """A case only moves forward; moving to an earlier state is refused."""
    now = ForensicState(current)
    if ORDER.index(target) < ORDER.index(now):
        raise ValueError(f"a case that is {now.value} cannot go back to {target.value}")
    return target


def counts_by_state(states: list[str]) -> dict[str, int]:
    """Cases per state, every state named (zero included), in forensic order."""
    out = {s.value: 0 for s in ForensicState}
    for s in states:
        out[ForensicState(s).value] += 1
    return out
