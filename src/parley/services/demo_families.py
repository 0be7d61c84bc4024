"""The demo's families part: relatives' inquiries (some about people the registry holds, written
their own way, some about people it does not), linking, letters due, and a repatriation of
bodies with cases in every forensic state and one lab match. Running it twice adds nothing."""

from __future__ import annotations

import csv
import random
from contextlib import suppress
from pathlib import Path

from parley.domain.actors import Actor
from parley.domain.remains import ForensicState
from parley.errors import InvalidInput
from parley.services.answers import sync_answer_tasks
from parley.services.inquiries import import_inquiries
from parley.services.inquiry_links import match_inquiries
from parley.services.remains import import_cases, import_results, record_repatriation, record_sample
from parley.services.workspace import Workspace

HEADER = ["Номер звернення", "Заявник", "Ким доводиться", "Телефон", "Згода", "Прізвище",
          "Ім'я", "По батькові", "Дата народження", "Останнє відоме місце"]
# Synthetic people the registry does not hold (made up for the demo).
STRANGERS = [("Вернигора", "Остап", "Лукич", "1979-02-14"),
             ("Задорожна", "Ярина", "Богданівна", "1996-07-30"),
             ("Кривошия", "Назар", "Іларіонович", "1984-11-03")]
REPATRIATION = "R-DEMO-1"


def _inquiry_rows(ws: Workspace, seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    with ws.store.reading() as tx:
        people = ws.repos.persons.first_names(tx, ("captured", "held", "missing", "deceased"))
    first: dict[int, tuple[str, str, str, str]] = {}
    for pid, fam, giv, pat, born in people:
        first.setdefault(int(pid), (fam, giv, pat, born))
    chosen = sorted(first)[:: max(1, len(first) // max(count, 1))][:count]
    rows = []
    for n, pid in enumerate(chosen, 1):
        fam, giv, pat, born = first[pid]
        y, m, d = born.split("-")
        rows.append([f"DEMO-{n}", f"Родич {n}", rng.choice(["мати", "батько", "дружина"]),
                     f"+380 50 000 {1000 + n}", rng.choice(["так", "contact+icrc"]), fam, giv,
                     pat, f"{d}.{m}.{y}", ""])
    for n, (fam, giv, pat, born) in enumerate(STRANGERS, len(rows) + 1):
        rows.append([f"DEMO-{n}", f"Родич {n}", "сестра", f"+380 50 000 {1000 + n}", "так",
                     fam, giv, pat, born, "Мар'їнка"])
    return rows


def build_families_demo(ws: Workspace, *, actor: Actor, seed: int, out: Path) -> list[str]:
    steps: list[str] = []
    path = out / "inquiries_hotline.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_inquiry_rows(ws, seed, 12))
    imported = import_inquiries(ws, actor=actor, path=path, channel="hotline")
    steps.append(f"inquiries: {imported.imported} imported, {imported.duplicates} duplicates")
    linked = match_inquiries(ws, actor=actor)
    steps.append(f"inquiries matched: {linked.linked} linked, {linked.review} to review, "
                 f"{linked.unmatched} unmatched")
    steps.append(f"letters due: {sync_answer_tasks(ws, actor=actor)} new tasks")

    record_repatriation(ws, actor=actor, key=REPATRIATION, date="2026-11-20",
                        place="пункт передачі", received=18, handed_over=4)
    cases = out / "remains_cases.csv"
    states = [s.value for s in ForensicState]
    with cases.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "repatriation_id", "state"])
        writer.writerows([f"DEMO-C{n}", REPATRIATION, states[n % len(states)]]
                         for n in range(1, 19))
    made = import_cases(ws, actor=actor, path=cases)
    steps.append(f"remains: {made.imported} cases in every forensic state")
    with suppress(InvalidInput):  # recorded by an earlier run
        record_sample(ws, actor=actor, sample_id="DEMO-S1", lab="Лабораторія №1",
                      inquiry="DEMO-1")
    results = out / "lab_results.csv"
    results.write_text("case_id,sample_id,inquiry_id,result\nDEMO-C2,DEMO-S1,DEMO-1,match\n",
                       encoding="utf-8")
    matched = import_results(ws, actor=actor, path=results)
    steps.append(f"lab results: {matched.identified} identified")
    return steps
