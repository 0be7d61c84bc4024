"""The list and plan repositories keep what the list services rely on: entries are temporal (a
closed row stays readable at the versions it was valid for), a closed row's origin is handed
back for its replacement, a list moves to a version only with it, and a plan after a
substitution keeps exactly the rows it was given."""

from __future__ import annotations

from parley.clock import utcnow
from parley.domain.plan import Assignment
from parley.services.ports.lists import ORIGIN, StoredEntry
from parley.services.workspace import Workspace


def _row(key: str, **data: object) -> StoredEntry:
    return StoredEntry(key, None, {"key": key, **data})


def test_entries_are_read_back_as_of_each_version(ws: Workspace) -> None:
    repos = ws.repos
    with ws.store.transaction() as tx:
        lst = repos.lists.add(tx, name="l", direction="give", required_agencies=["MOD"],
                              created_by="op")
        assert lst.version == 0 and lst.required_agencies == ("MOD",)
        # Keys whose order differs between a case-sensitive and a case-folding collation.
        repos.list_entries.add(tx, lst.id, 1, [_row("b", n=1), _row("B", n=1),
                                               _row("a", n=1, **{ORIGIN: {"records": [7]}})])
        repos.list_versions.append(tx, list_id=lst.id, version=1, content_hash="h1",
                                   author="op", author_agency="LOCAL", note="", entry_count=3)
    with ws.store.transaction() as tx:
        kept = repos.list_entries.close(tx, lst.id, ["a", "b"], 2)
        assert kept == {"a": {"records": [7]}}
        repos.list_entries.add(tx, lst.id, 2, [_row("a", n=2)])
        repos.list_versions.append(tx, list_id=lst.id, version=2, content_hash="h2",
                                   author="op", author_agency="LOCAL", note="", entry_count=2)
    with ws.store.reading() as tx:
        head = repos.lists.named(tx, "l")
        assert head is not None and head.version == 2
        at1 = repos.list_entries.at(tx, lst.id, 1)
        at2 = repos.list_entries.at(tx, lst.id, 2)
        assert [e.key for e in at1] == sorted(["a", "b", "B"])
        assert [(e.key, e.data["n"]) for e in at2] == [("B", 1), ("a", 2)]
        assert repos.list_entries.at(tx, lst.id, 0) == []
        assert [v.content_hash for v in repos.list_versions.of_list(tx, lst.id)] == ["h1", "h2"]
        assert repos.list_versions.content_hash(tx, lst.id, 3) is None


def test_a_release_is_kept_with_its_version(ws: Workspace) -> None:
    repos = ws.repos
    with ws.store.transaction() as tx:
        lst = repos.lists.add(tx, name="l", direction="give", required_agencies=[],
                              created_by="op")
        for v in (1, 2, 3):
            repos.list_versions.append(tx, list_id=lst.id, version=v, content_hash=f"h{v}",
                                       author="op", author_agency="LOCAL", note="",
                                       entry_count=0)
    with ws.store.transaction() as tx:
        assert repos.list_versions.newest_released(tx, lst.id) is None
        for v in (1, 2):
            row = repos.list_versions.get(tx, lst.id, v)
            assert row is not None and row.released_at is None
            repos.list_versions.release(tx, row.id, at=utcnow(), by="boss")
    with ws.store.reading() as tx:
        assert repos.list_versions.released(tx, lst.id) == [1, 2]
        assert repos.list_versions.newest_released(tx, lst.id) == 2
        second = repos.list_versions.get(tx, lst.id, 2)
        assert second is not None and second.released_by == "boss"
        assert second.released_at is not None


def _a(record_id: str, stage: int | None, reason: str = "") -> Assignment:
    return Assignment(record_id=record_id, side="give", stage=stage, rank=1,
                      category="military", seriously_wounded=False, reason=reason)


def test_a_reassigned_plan_keeps_exactly_the_rows_it_was_given(ws: Workspace) -> None:
    plans = ws.repos.exchange_plans
    with ws.store.transaction() as tx:
        plan_id = plans.add(tx, give_list="g", give_version=1, receive_list="r",
                            receive_version=1, stages=2, max_per_stage=None,
                            category_parity=False, total=None, rules=[], status="optimal",
                            mip_gap=0.0, exchanged=2, created_by="op",
                            assignments=[_a("A", 1), _a("B", 2), _a("C", None)])
    with ws.store.transaction() as tx:
        assert plans.substitution_stamp(tx, plan_id) == (0, None)
        plans.reassign(tx, plan_id, [_a("A", 1), _a("C", 2, "reserve for B")], exchanged=1)
        plans.add_substitution(tx, plan_id, dropped="B", side="give", stage=2,
                               replacement="C", reduced=None, reason="refuses", actor="op")
    with ws.store.reading() as tx:
        assert plans.assignments(tx, plan_id) == [_a("A", 1), _a("C", 2, "reserve for B")]
        stored = plans.get(tx, plan_id)
        assert stored is not None and stored.exchanged == 1
        count, newest = plans.substitution_stamp(tx, plan_id)
        assert count == 1 and newest is not None
        assert [(s.dropped, s.replacement) for s in plans.substitutions(tx, plan_id)] == [
            ("B", "C")]
        assert [p.id for p in plans.newest_first(tx)] == [plan_id]
