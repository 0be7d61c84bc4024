"""What a stage's outcomes do to the lists: transferred people become ``transferred``; those who
declined, were unfit, absent or not the person on the list go back to the list workflow with the
reason, so a later stage or a new agreement can take them up again."""

from __future__ import annotations

from dataclasses import replace

from parley.domain.exchange_day.checkin import CheckIn, Outcome
from parley.domain.lists import Entry, Readiness, Status, transition

_TO_TRANSFER = {
    Status.CONFIRMED: (Status.APPROVED, Status.SCHEDULED, Status.TRANSFERRED),
    Status.APPROVED: (Status.SCHEDULED, Status.TRANSFERRED),
    Status.SCHEDULED: (Status.TRANSFERRED,),
}


def after_handover(entry: Entry, checkin: CheckIn, *, stage: int, plan_id: int) -> Entry:
    """The entry after the stage closed (the same entry when nothing follows from it).

    Raises ``Conflict`` when the entry cannot be transferred (e.g. withdrawn meanwhile)."""
    where = f"stage {stage} of plan {plan_id}"
    note = f": {checkin.note}" if checkin.note else ""
    if checkin.outcome is Outcome.TRANSFERRED:
        if entry.status is Status.TRANSFERRED:
            return entry
        # Identity confirmed, will to return and fitness recorded at the handover point.
        ready = replace(entry, readiness=Readiness(identity_verified=True, medical_fit=True,
                                                   will_recorded=True))
        for step in _TO_TRANSFER.get(entry.status, (Status.TRANSFERRED,)):
            ready = transition(ready, step, reason=f"handed over in {where}")
        return ready
    if checkin.outcome is Outcome.DECLINED:
        declined = replace(entry, readiness=replace(entry.readiness, will_recorded=True))
        return transition(declined, Status.WITHDRAWN,
                          reason=f"declined repatriation in {where} (GC III Art. 109){note}")
    reason = {
        Outcome.UNFIT: f"unfit to travel in {where}{note}",
        Outcome.ABSENT: f"absent at the handover point in {where}{note}",
        Outcome.MISMATCH: f"not the person on the list in {where}{note}",
    }[checkin.outcome]
    back = entry
    if checkin.outcome is Outcome.UNFIT:
        back = replace(back, readiness=replace(back.readiness, medical_fit=False))
    if back.status is Status.SCHEDULED:
        return transition(back, Status.APPROVED, reason=reason)
    return replace(back, status_reason=reason)
