"""Reconciliation of the other side's answer against our list and registry."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from parley.adapters.files import ColumnMap
from parley.domain.actors import Actor
from parley.services.reconciliation import (
    AnswerRow,
    reconcile_counterpart_list,
    reconcile_rows,
    stored_reconciliation,
)
from parley.services.workspace import Workspace
from parley.synth.exchange import counterpart_scenario
from tests.services.reconcile_factory import answer_csv, list_from_scenario


def _answer(rows: list[dict[str, str]]) -> list[AnswerRow]:
    columns = ColumnMap()
    return [AnswerRow(line, columns.split(row)[0], row) for line, row in enumerate(rows, 2)]


def test_generated_answer_is_classified_at_least_98_percent_correctly() -> None:
    scenario = counterpart_scenario(400, seed=7)
    result = reconcile_rows(
        list_rows={r["record_id"]: r for r in scenario.list_rows},
        registry_rows={r["record_id"]: r for r in scenario.registry_rows},
        answer=_answer(scenario.answer_rows),
    )
    correct = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for row in result.rows:
        if row.line is None:
            continue
        expected, key = scenario.truth[row.line]
        confusion[(expected, row.outcome)] += 1
        correct += row.outcome == expected and (key is None or row.entry_key == key)
    share = correct / len(scenario.answer_rows)
    print(f"\nreconciliation: {correct} of {len(scenario.answer_rows)} rows classified "  # noqa: T201
          f"correctly ({share:.1%}); {sorted(confusion.items())}")
    assert share >= 0.98
    # every class of the truth occurs, so the figure covers each of them
    assert {e for e, _ in confusion} == {"confirmed", "duplicate", "registry_not_on_list",
                                         "unknown"}
    silent = {r.entry_key for r in result.rows if r.outcome == "not_mentioned"}
    assert len(silent & scenario.omitted) >= 0.9 * len(scenario.omitted)
    assert len(silent - scenario.omitted) <= 0.02 * len(scenario.list_rows)


def test_reconcile_in_the_workspace_stores_and_audits(ws: Workspace, operator: Actor,
                                                      tmp_path: Path) -> None:
    scenario = counterpart_scenario(40, seed=3, n_registry=0, unknown_share=0.1)
    list_from_scenario(ws, operator, scenario, facts=True)
    path = tmp_path / "answer.csv"
    path.write_bytes(answer_csv(scenario))
    rec_id, result = reconcile_counterpart_list(ws, actor=operator, name="ours", path=path)
    counts = result.counts()
    assert sum(counts[o] for o in counts if o != "not_mentioned") == len(scenario.answer_rows)
    assert counts["confirmed"] >= 30
    stored = stored_reconciliation(ws, actor=operator, name="ours")
    assert stored.id == rec_id and stored.counts == counts
    confirmed = [r for r in stored.rows if r["outcome"] == "confirmed"]
    assert all("the same person as entry" in r["reason"] for r in confirmed)
    assert confirmed[0]["raw"]["Фамилия"]  # the other side's row is kept as it came


def test_listed_person_with_other_registry_records_and_given_patronymic_in_one_column() -> None:
    """Issue 11, class 5: an answer row closer to another registry record of a listed person
    confirms the entry (resolved persons), and "Имя Отчество" in one column is read as such."""
    scenario = counterpart_scenario(120, seed=11)
    listed = {"record_id": "E-LIST-1", "family_name": "Гордійчук", "given_name": "Тарас",
              "patronymic": "Андрійович", "birth_date": "1991-02-17"}
    # The same person's other registry record, written the way the other side writes him.
    other = {"record_id": "R-OTHER-1", "family_name": "Гордийчук", "given_name": "Тарас",
             "patronymic": "Андреевич", "birth_date": "1991-02-17", "service_number": "ЖК-551920"}
    answer_rows = [*scenario.answer_rows,
                   {"Фамилия": "Гордийчук", "Имя": "Тарас Андреевич", "Отчество": "",
                    "Дата рождения": "17.02.1991", "Личный номер": "ЖК-551920"}]
    result = reconcile_rows(
        list_rows={**{r["record_id"]: r for r in scenario.list_rows}, "E-LIST-1": listed},
        registry_rows={**{r["record_id"]: r for r in scenario.registry_rows},
                       "R-OTHER-1": other},
        answer=_answer(answer_rows),
        same_person={"R-OTHER-1": "E-LIST-1"},
    )
    last = max(r.line for r in result.rows if r.line is not None)
    row = next(r for r in result.rows if r.line == last)
    assert (row.outcome, row.entry_key) == ("confirmed", "E-LIST-1")
