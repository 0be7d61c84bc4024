from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage import memory
from parley.adapters.linkage.engines import close, db_api
from parley.adapters.linkage.pipeline import _compact


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3GB", 3 * 10**9), ("3.5GiB", int(3.5 * 2**30)), ("800 MiB", 800 * 2**20), ("12", 12),
     ("lots", None), ("3 parsecs", None)],
)
def test_size_bytes_reads_duckdb_style_sizes(text: str, expected: int | None) -> None:
    assert memory.size_bytes(text) == expected


def _limit(api: object) -> str:
    con = api.duckdb_con  # type: ignore[attr-defined]
    return str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])


def test_duckdb_gets_the_budget_less_what_python_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    api = db_api("duckdb")
    try:
        monkeypatch.setattr(memory, "resident_bytes", lambda: 2 * 2**30)
        monkeypatch.setattr(memory, "_duckdb_bytes", lambda con: 2**29)
        # 3 GiB budget, 1.5 GiB held outside DuckDB → 1.5 GiB for DuckDB.
        assert memory.fit_to_budget(api, "3GiB", budget="3GiB") == int(1.5 * 2**30)
        assert _limit(api) == "1.5 GiB"
        # The configured limit stays the ceiling ...
        assert memory.fit_to_budget(api, "1GiB", budget="8GiB") == 2**30
        # ... and a budget already spent still leaves DuckDB enough to run a query.
        assert memory.fit_to_budget(api, "3GiB", budget="1GiB") == 512 * 2**20
    finally:
        close(api)


def test_no_budget_without_a_resident_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    api = db_api("duckdb")
    try:
        before = _limit(api)
        monkeypatch.setattr(memory, "resident_bytes", lambda: None)
        assert memory.fit_to_budget(api, "3GiB") is None
        assert _limit(api) == before
    finally:
        close(api)
    assert memory.fit_to_budget(object(), "3GiB") is None  # not DuckDB (Spark)


def test_resident_bytes_is_this_process_size() -> None:
    rss = memory.resident_bytes()
    assert rss is None or 10 * 2**20 < rss < 64 * 2**30
    memory.release()  # must not fail where there is no malloc_trim


def test_compact_keeps_values_as_arrow_strings_and_empties_the_source() -> None:
    feats = pd.DataFrame({
        "unique_id": ["1", "2"], "fam_key": ["petrenko", None], "byr": pd.array([1990, None],
                                                                                 dtype="Int64"),
        "addr_tok": [["a", "b"], None], "fold_fam": ["petrenko", "x"],
    })  # fmt: skip
    out = _compact(feats, "parley")
    assert list(out.columns) == ["unique_id", "fam_key", "byr", "addr_tok"]
    assert out["fam_key"].dtype == "string[pyarrow]"
    assert out["fam_key"].iloc[0] == "petrenko" and pd.isna(out["fam_key"].iloc[1])
    assert out["byr"].tolist()[0] == 1990
    assert out["addr_tok"].iloc[0] == ["a", "b"]  # token lists stay lists
    assert list(feats.columns) == ["fold_fam"]
