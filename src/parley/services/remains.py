"""The dead: repatriations of bodies, forensic cases, reference samples and lab matches.

Parley holds no genetic data: a relative's reference sample is its id at the lab and the lab's
name, linked to the family's inquiry. A lab match (``parley remains results``) identifies the
case: it links to the inquiry's person, sets that person's registry status to ``deceased``,
closes the inquiry and makes an answer task for the family liaison — in one audited transaction.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.answers import AnswerEvent
from parley.domain.records import content_hash
from parley.domain.remains import ForensicState, advance, counts_by_state, parse_result, parse_state
from parley.errors import N_, InvalidInput, NotFound
from parley.services.answers import add_task
from parley.services.journal import record_event
from parley.services.ports import Tx, repositories_of
from parley.services.ports.inquiries import InquiryRow
from parley.services.ports.remains import RemainsCaseRow
from parley.services.workspace import Workspace

RESULT_COLUMNS = ("case_id", "sample_id", "inquiry_id", "result")


@dataclass
class RemainsReport:
    read: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    quarantined: int = 0
    identified: int = 0
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "imported": self.imported, "updated": self.updated,
                "duplicates": self.duplicates, "quarantined": self.quarantined,
                "identified": self.identified, "reasons": self.reasons[:20]}

    def refuse(self, line: int, field_name: str, reason: str) -> None:
        self.quarantined += 1
        self.reasons.append({"line": line, "field": field_name, "reason": reason})


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInput(N_("%(path)s: cannot be read (%(err)s)"), path=path, err=err) from None
    reader = csv.DictReader(text.splitlines())
    return [(n, {str(k).strip(): (v or "").strip() for k, v in row.items() if k})
            for n, row in enumerate(reader, start=2)]


def record_repatriation(ws: Workspace, *, actor: Actor, key: str, date: str = "",
                        place: str = "", received: int = 0, handed_over: int = 0) -> int:
    """One transfer of bodies with the count each side received (asymmetric by nature)."""
    actor.require(Action.MANAGE_INQUIRIES)
    if not key.strip() or received < 0 or handed_over < 0:
        raise InvalidInput(N_("a repatriation needs an id and counts that are not negative"))
    with ws.store.transaction() as tx:
        repo = ws.repos.remains
        row = repo.repatriation(tx, key.strip())
        if row is None:
            row = repo.add_repatriation(tx, key=key.strip(), created_by=actor.username)
        row.date, row.place = date, place
        row.bodies_received, row.bodies_handed_over = received, handed_over
        record_event(tx, actor=actor, action="remains.repatriation", target=f"repatriation:{key}",
                     payload={"date": date, "place": place, "received": received,
                              "handed_over": handed_over})
        return row.id


def import_cases(ws: Workspace, *, actor: Actor, path: Path) -> RemainsReport:
    """Cases ``case_id,repatriation_id,state,found_place,notes``; a known case moves forward to
    a later state (never back); a bad row is refused with its line, field and reason."""
    actor.require(Action.MANAGE_INQUIRIES)
    report = RemainsReport()
    with ws.store.transaction() as tx:
        repo = ws.repos.remains
        for line, row in _rows(path):
            report.read += 1
            key = row.get("case_id", "")
            if not key:
                report.refuse(line, "case_id", "empty")
                continue
            try:
                state = parse_state(row.get("state", ""))
            except ValueError as err:
                report.refuse(line, "state", str(err))
                continue
            rep_key = row.get("repatriation_id", "")
            repatriation = repo.repatriation(tx, rep_key) if rep_key else None
            if rep_key and repatriation is None:
                report.refuse(line, "repatriation_id", f"no repatriation '{rep_key}'")
                continue
            case = repo.case(tx, key)
            if case is None:
                repo.add_case(tx, key=key[:200], state=state.value,
                              repatriation_id=repatriation.id if repatriation else None,
                              found_place=row.get("found_place", "")[:300],
                              notes=row.get("notes", ""), file_name=path.name[:500], line_no=line)
                report.imported += 1
            elif case.state == state.value:
                report.duplicates += 1
            else:
                try:
                    case.state = advance(case.state, state).value
                except ValueError as err:
                    report.refuse(line, "state", str(err))
                    continue
                case.updated_at = utcnow()
                report.updated += 1
        record_event(tx, actor=actor, action="remains.import", target=f"file:{path.name}",
                     payload=report.as_dict())
    return report


def record_sample(ws: Workspace, *, actor: Actor, sample_id: str, lab: str,
                  inquiry: str) -> int:
    """A relative's reference sample (its id at the lab and the lab only), for an inquiry."""
    actor.require(Action.MANAGE_INQUIRIES)
    if not sample_id.strip() or not lab.strip():
        raise InvalidInput(N_("a reference sample needs its id and its lab"))
    with ws.store.transaction() as tx:
        repo = ws.repos.remains
        found = repo.inquiry(tx, inquiry)
        if found is None:
            raise NotFound(N_("no inquiry %(inquiry)s"), inquiry=inquiry)
        if repo.sample(tx, sample_id.strip()) is not None:
            raise InvalidInput(N_("sample %(sample_id)s is already recorded"), sample_id=sample_id)
        row = repo.add_sample(tx, key=sample_id.strip()[:200], lab=lab.strip()[:200],
                              inquiry_id=found.id, recorded_by=actor.username)
        record_event(tx, actor=actor, action="remains.sample", target=f"inquiry:{found.id}",
                     payload={"sample_id": row.sample_key, "lab": row.lab})
        return row.id


def import_results(ws: Workspace, *, actor: Actor, path: Path) -> RemainsReport:
    """Lab results ``case_id,sample_id,inquiry_id,result`` (match, no_match, inconclusive)."""
    actor.require(Action.MANAGE_INQUIRIES)
    report = RemainsReport()
    with ws.store.transaction() as tx:
        repo = ws.repos.remains
        for line, row in _rows(path):
            report.read += 1
            missing = [c for c in RESULT_COLUMNS if not row.get(c)]
            if missing:
                report.refuse(line, missing[0], "empty")
                continue
            digest = content_hash({c: row[c] for c in RESULT_COLUMNS})
            if repo.has_result(tx, digest):
                report.duplicates += 1
                continue
            case, sample = repo.case(tx, row["case_id"]), repo.sample(tx, row["sample_id"])
            inquiry = repo.inquiry(tx, row["inquiry_id"])
            problem = ("case_id", f"no case '{row['case_id']}'") if case is None else (
                ("sample_id", f"no sample '{row['sample_id']}'") if sample is None else (
                    ("inquiry_id", f"no inquiry '{row['inquiry_id']}'") if inquiry is None
                    else None))
            if problem is None and sample is not None and inquiry is not None \
                    and sample.inquiry_id != inquiry.id:
                problem = ("sample_id", "the sample was given for another inquiry")
            try:
                result = parse_result(row["result"])
            except ValueError as err:
                problem = problem or ("result", str(err))
            if problem is not None or case is None or sample is None or inquiry is None:
                report.refuse(line, *(problem or ("row", "incomplete")))
                continue
            repo.add_result(tx, case_id=case.id, sample_id=sample.id, inquiry_id=inquiry.id,
                            result=result.value, content_hash=digest,
                            file_name=path.name[:500], line_no=line)
            report.imported += 1
            if result.value == "match":
                _identify(tx, actor, case, inquiry)
                report.identified += 1
        record_event(tx, actor=actor, action="remains.results", target=f"file:{path.name}",
                     payload=report.as_dict())
    return report


def _identify(tx: Tx, actor: Actor, case: RemainsCaseRow, inquiry: InquiryRow) -> None:
    if case.state != ForensicState.RETURNED.value:
        case.state = advance(case.state, ForensicState.IDENTIFIED).value
    case.inquiry_id, case.person_id, case.updated_at = inquiry.id, inquiry.person_id, utcnow()
    previous = None
    if inquiry.person_id is not None:
        previous = repositories_of(tx).remains.mark_deceased(tx, int(inquiry.person_id))
    inquiry.state = "closed"
    task = add_task(tx, inquiry, AnswerEvent.REMAINS_IDENTIFIED,
                    detail=f"case {case.case_key}")
    record_event(tx, actor=actor, action="remains.identified", target=f"case:{case.case_key}",
                 payload={"inquiry_id": inquiry.id, "person_id": inquiry.person_id,
                          "status_before": previous, "task_id": task.id if task else None})


def set_case_state(ws: Workspace, *, actor: Actor, case_id: str, state: str) -> str:
    """Move a case forward (e.g. ``returned_to_family`` once the body is handed over)."""
    actor.require(Action.MANAGE_INQUIRIES)
    try:
        target = parse_state(state)
    except ValueError as err:
        raise InvalidInput(N_("state: %(err)s"), err=err) from None
    with ws.store.transaction() as tx:
        case = ws.repos.remains.case(tx, case_id)
        if case is None:
            raise NotFound(N_("no case %(case_id)s"), case_id=case_id)
        try:
            case.state = advance(case.state, target).value
        except ValueError as err:
            raise InvalidInput(str(err)) from None
        record_event(tx, actor=actor, action="remains.state", target=f"case:{case_id}",
                     payload={"state": case.state})
        return case.state


def remains_overview(ws: Workspace, *, actor: Actor) -> dict[str, Any]:
    """Counts per forensic state (every state named) and each repatriation's counts."""
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        repo = ws.repos.remains
        total = repo.states(tx)
        states = counts_by_state([s for s, n in total.items() for _ in range(n)])
        return {
            "states": states,
            "repatriations": [
                {"id": r.repatriation_key, "date": r.date, "place": r.place,
                 "received": r.bodies_received, "handed_over": r.bodies_handed_over,
                 "cases": sum(repo.states(tx, r.id).values())}
                for r in repo.repatriations(tx)
            ],
        }
