"""Check-in at the handover point: each person's outcome, will to return and fitness to travel.

GC III Art. 109: no one is repatriated against his will, so ``transferred`` needs the will to
return recorded as ``yes`` (and fitness to travel ``yes``); ``declined`` is the will recorded as
``no``; ``unfit`` is fitness ``no``. A sheet brought back from the field is compared with what is
recorded: the same row again changes nothing, a different one is a contradiction that is flagged
for a person to settle, never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from parley.domain.plan import SIDES, Side
from parley.errors import N_, InvalidInput, Text, in_file

SHEET_COLUMNS = ("record_id", "side", "outcome", "will_to_return", "fit_to_travel", "note")
YesNo = Literal["yes", "no", ""]


class Outcome(StrEnum):
    TRANSFERRED = "transferred"
    DECLINED = "declined"  # does not wish to return (Art. 109)
    UNFIT = "unfit"
    ABSENT = "absent"
    MISMATCH = "mismatch"  # not the person on the list


@dataclass(frozen=True, slots=True)
class CheckIn:
    record_id: str
    side: Side
    outcome: Outcome
    will_to_return: YesNo = ""
    fit_to_travel: YesNo = ""
    note: str = ""

    def facts(self) -> dict[str, str]:
        """What a contradiction is judged on (the note is free text and may differ)."""
        return {"outcome": self.outcome.value, "will_to_return": self.will_to_return,
                "fit_to_travel": self.fit_to_travel}


def _yes_no(raw: str | None, *, where: Text) -> YesNo:
    text = (raw or "").strip().lower()
    if text == "yes":
        return "yes"
    if text == "no":
        return "no"
    if text == "":
        return ""
    raise InvalidInput(N_("%(where)s: '%(text)s' is not yes, no or empty"), where=where, text=text)


def _consistent(c: CheckIn, *, at: Text) -> None:
    if c.outcome is Outcome.TRANSFERRED:
        if c.will_to_return != "yes":
            raise InvalidInput(
                N_("%(at)s, field will_to_return: transferred needs the will to return "
                   "recorded as yes (GC III Art. 109)"),
                at=at,
            )
        if c.fit_to_travel != "yes":
            raise InvalidInput(
                N_("%(at)s, field fit_to_travel: transferred needs fit_to_travel yes"),
                at=at,
            )
    if c.outcome is Outcome.DECLINED and c.will_to_return == "yes":
        raise InvalidInput(
            N_("%(at)s, field will_to_return: declined but the will to return is yes"),
            at=at,
        )
    if c.outcome is Outcome.UNFIT and c.fit_to_travel == "yes":
        raise InvalidInput(
            N_("%(at)s, field fit_to_travel: unfit but fit_to_travel is yes"),
            at=at,
        )


def parse_sheet(rows: Iterable[tuple[int, Mapping[str, str]]], *, source: str,
                header: Sequence[str]) -> list[tuple[int, CheckIn]]:
    """(line, check-in) pairs; the first bad value stops with file, line and field. A row
    repeated within the sheet is kept once; a row that contradicts an earlier one is an error."""
    missing = [c for c in SHEET_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            N_("%(source)s, line 1: missing column(s) %(missing)s"),
            source=source, missing=', '.join(missing),
        )
    out: list[tuple[int, CheckIn]] = []
    seen: dict[tuple[str, str], tuple[int, CheckIn]] = {}
    for line, row in rows:
        def where(column: str, line: int = line) -> Text:
            return in_file(source, line, column)

        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            raise InvalidInput(N_("%(where)s: empty"), where=where('record_id'))
        side_text = (row.get("side") or "").strip().lower()
        if side_text not in SIDES:
            raise InvalidInput(
                N_("%(where)s: '%(side_text)s' is not give or receive"),
                where=where('side'), side_text=side_text,
            )
        side: Side = "give" if side_text == "give" else "receive"
        outcome_text = (row.get("outcome") or "").strip().lower()
        try:
            outcome = Outcome(outcome_text)
        except ValueError:
            raise InvalidInput(
                N_("%(where)s: '%(outcome_text)s' is not one of %(items)s"),
                where=where('outcome'), outcome_text=outcome_text,
                items=', '.join(o.value for o in Outcome),
            ) from None
        checkin = CheckIn(
            record_id=record_id, side=side, outcome=outcome,
            will_to_return=_yes_no(row.get("will_to_return"), where=where("will_to_return")),
            fit_to_travel=_yes_no(row.get("fit_to_travel"), where=where("fit_to_travel")),
            note=(row.get("note") or "").strip(),
        )
        _consistent(checkin, at=in_file(source, line))
        key = (side, record_id)
        if key in seen:
            first_line, first = seen[key]
            if first.facts() != checkin.facts():
                raise InvalidInput(
                    N_("%(where)s: %(side)s %(record_id)s is checked in differently on line "
                       "%(first_line)s"),
                    where=where('outcome'), side=side, record_id=record_id, first_line=first_line,
                )
            continue
        seen[key] = (line, checkin)
        out.append((line, checkin))
    return out


def contradiction(recorded: CheckIn, incoming: CheckIn) -> str | None:
    """Why the incoming row contradicts what is recorded, or None when it agrees."""
    before, after = recorded.facts(), incoming.facts()
    changed = [f"{k} {before[k] or 'empty'} → {after[k] or 'empty'}"
               for k in before if before[k] != after[k]]
    return "; ".join(changed) if changed else None
