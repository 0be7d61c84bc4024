"""link / dedupe: prepare → register → train (EM, no labels) → block → predict → cluster."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from splink import Linker, SettingsCreator
from splink.internals.comparison_level import ComparisonLevel as _ComparisonLevel
from splink.internals.exceptions import EMTrainingException

from parley.adapters.linkage import model as m
from parley.adapters.linkage._names import names_available
from parley.adapters.linkage.calibration import (
    Calibrator,
    expected_calibration_error,
    fit_isotonic,
    refit_prior,
)
from parley.adapters.linkage.clustering import connected_clusters, one_to_one
from parley.adapters.linkage.engines import DUCKDB_MEMORY_LIMIT, close, db_api, for_scoring
from parley.adapters.linkage.features import add_swap_keys, prepare, surnames_of
from parley.adapters.linkage.guards import Ceilings, apply_guards, enforce
from parley.adapters.linkage.memory import fit_to_budget, release, trim
from parley.errors import N_, InvalidInput

Progress = Callable[[str, float], None]
ModelName = Literal["parley", "plain"]
_TABLE_A = "parley_list_a"
_TABLE_B = "parley_list_b"
# Pairs below this raw probability are never returned nor needed for calibration estimates.
_FLOOR = 0.01

# Splink 5's EM can drive an m- or u-probability to exactly 0.0 for a level no pair reaches in a
# pass, and its setter then refuses the value and aborts training. A floor keeps such a level as
# "very rare" (a strong but finite weight) instead of infinite evidence or a crash.
_M_U_FLOOR = 1e-5


def _floored(prop: property) -> property:
    def setter(self: object, value: float | str | None) -> None:
        if isinstance(value, int | float) and value < _M_U_FLOOR:
            value = _M_U_FLOOR
        assert prop.fset is not None
        prop.fset(self, value)

    return property(prop.fget, setter)


for _attr in ("m_probability", "u_probability"):
    setattr(_ComparisonLevel, _attr, _floored(getattr(_ComparisonLevel, _attr)))

for _name in ("splink", "py4j"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass
class LinkageResult:
    """Scored pairs, clusters (dedupe) and run statistics.

    ``pairs``: left_id, right_id, match_probability, match_weight and ``bf_<comparison>`` (log2
    Bayes factor of each comparison, term-frequency adjustment included) — a waterfall's bars.
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def _noop(stage: str, fraction: float) -> None:
    return None


def _check_ids(frame: pd.DataFrame, what: str) -> None:
    if "record_id" not in frame.columns:
        raise InvalidInput(N_("%(what)s: no record_id column"), what=what)
    ids = frame["record_id"].astype(str)
    if (ids.str.strip() == "").any():
        line = int(np.flatnonzero((ids.str.strip() == "").to_numpy())[0]) + 2
        raise InvalidInput(N_("%(what)s: line %(line)s: field record_id: empty"), what=what,
                           line=line)
    dup = ids.duplicated()
    if dup.any():
        line = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise InvalidInput(N_("%(what)s: line %(line)s: field record_id: '%(value)s' appears "
                              "twice"), what=what, line=line, value=ids[dup].iloc[0])


_PLAIN_COLUMNS = ("unique_id", "fold_fam", "fold_giv", "byr", "bmo", "bdy", "bdate", "sex")


def _compact(feats: pd.DataFrame, model: ModelName) -> pd.DataFrame:
    """Only the model's columns, strings as Arrow strings: a million-row registry as Python
    string objects would take gigabytes, and DuckDB reads Arrow columns without a copy.

    Column by column, each taken out of ``feats`` (which is emptied): converting a copy of
    the whole frame would hold both forms of every column at once.
    """
    if model == "plain":
        cols = list(_PLAIN_COLUMNS)
    else:
        cols = [c for c in feats.columns if not c.startswith("fold_")]
    out: dict[str, pd.Series] = {}
    for col in cols:
        series = feats.pop(col)
        if series.dtype == object and not col.endswith("_tok"):  # token lists stay lists
            series = series.astype("string[pyarrow]")
        out[col] = series
        trim()
    return pd.DataFrame(out, copy=False)


_TRAIN_MAX_ROWS = 250_000


def _label_ids(labels: pd.DataFrame | None) -> set[str]:
    if labels is None or not len(labels):
        return set()
    return set(labels["left_id"].astype(str)) | set(labels["right_id"].astype(str))


def _train_sample(feats: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    if len(feats) <= _TRAIN_MAX_ROWS:
        return feats
    sample = feats.sample(n=_TRAIN_MAX_ROWS, random_state=7)
    kept = feats[feats["unique_id"].isin(keep) & ~feats.index.isin(sample.index)]
    return pd.concat([sample, kept])


def _present(feats: list[pd.DataFrame]) -> set[str]:
    """Feature columns with at least one value in every input."""
    return {c for c in feats[0].columns if all(f[c].notna().any() for f in feats)}


def _settings(model: ModelName, link_type: str, dialect: str, present: set[str]) -> SettingsCreator:
    if model == "parley":
        comparisons = m.parley_comparisons(dialect, present)
        blocking = m.parley_blocking(present)
    else:
        comparisons = m.plain_comparisons(dialect)
        blocking = m.plain_blocking()
    required = m.REQUIRED_COLUMNS if model == "parley" else m.PLAIN_REQUIRED_COLUMNS
    kept = [
        c
        for name, c in comparisons.items()
        if any(col in present for col in required.get(name, ()))
    ]
    creator: Any = SettingsCreator
    return creator(  # type: ignore[no-any-return]
        link_type=link_type,
        comparisons=kept,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def _query(linker: Any, sql: str) -> pd.DataFrame:
    frame: pd.DataFrame = linker.misc.query_sql(sql, output_type="pandas")
    return frame


def _count(linker: Any, sql: str) -> int:
    return int(_query(linker, sql).to_numpy()[0, 0])


def _labels_frame(labels: pd.DataFrame, link_type: str) -> pd.DataFrame:
    src_l = _TABLE_A
    src_r = _TABLE_B if link_type == "link_only" else _TABLE_A
    return pd.DataFrame(
        {
            "source_dataset_l": src_l,
            "unique_id_l": labels["left_id"].astype(str),
            "source_dataset_r": src_r,
            "unique_id_r": labels["right_id"].astype(str),
        }
    )


def _tidy_pairs(raw: pd.DataFrame, comparison_names: list[str]) -> pd.DataFrame:
    if "source_dataset_l" in raw:
        swap = raw["source_dataset_l"].astype(str) == _TABLE_B
    else:  # dedupe: one table, no source column
        swap = pd.Series(False, index=raw.index)
    left = raw["unique_id_l"].astype(str).where(~swap, raw["unique_id_r"].astype(str))
    right = raw["unique_id_r"].astype(str).where(~swap, raw["unique_id_l"].astype(str))
    out = pd.DataFrame(
        {
            "left_id": left,
            "right_id": right,
            "match_probability": raw["match_probability"].astype(float),
            "match_weight": raw["match_weight"].astype(float),
        }
    )
    for name in comparison_names:
        bf = raw[f"mw_{name}"].astype(float) if f"mw_{name}" in raw else 0.0
        tf = f"mw_tf_adj_{name}"
        if tf in raw:
            bf = bf + raw[tf].astype(float).fillna(0.0)
        out[f"bf_{name}"] = bf
    return out


def _restore_gammas(raw: pd.DataFrame, linker: Any) -> None:
    """Add ``gamma_<comparison>``: the level each pair reached, which Splink 5 no longer returns
    from ``predict`` (only each comparison's weight, ``mw_<comparison>``).

    The level is read back from that weight: each level of a trained model has its own. A
    weight that two levels share is ambiguous and left as -2 (no guard acts on it); a null
    level's 0.0 reads as -1 unless a non-null level also weighs 0.0. The guards need the level
    (an outright contradiction, decades apart), not the weight.
    """
    for cc in linker._settings_obj.comparisons:
        col = f"mw_{cc.output_column_name}"
        if col not in raw.columns:
            continue
        mw = raw[col].to_numpy(dtype=float)
        gamma = np.full(len(raw), -2, dtype=int)
        hits = np.zeros(len(raw), dtype=int)
        for level in cc.comparison_levels:
            weight = 0.0 if level.is_null_level else float(level._match_weight)
            at = np.isclose(mw, weight, rtol=1e-9, atol=1e-6)
            hits += at
            gamma = np.where(at, level.comparison_vector_value, gamma)
        raw[f"gamma_{cc.output_column_name}"] = np.where(hits == 1, gamma, -2)


def _fetch(linker: Any, table: str) -> pd.DataFrame:
    """The scored pairs with only the columns the pipeline reads: Splink's intermediate
    columns also carry each side's term frequencies and the blocking rule, which nothing
    downstream needs and which would cost memory per pair."""
    columns = _query(linker, f"SELECT * FROM {table} LIMIT 0").columns
    wanted = [c for c in columns if c in _PAIR_COLUMNS or c.startswith("mw_")]
    return _query(linker, f"SELECT {', '.join(wanted)} FROM {table}")


_PAIR_COLUMNS = frozenset(("match_weight", "match_probability", "source_dataset_l",
                           "source_dataset_r", "unique_id_l", "unique_id_r"))


def recall_ceiling_of(api: Any, blocked: str, truth: pd.DataFrame, *,
                      query: Callable[[str], pd.DataFrame]) -> float:
    """Share of the true pairs that blocking puts up for comparison, in either order.

    Counted by the engine: a million-record run blocks millions of pairs, which as Python
    tuples in a set took gigabytes.
    """
    want = truth[["left_id", "right_id"]].astype(str).drop_duplicates()
    if not len(want):
        return 0.0
    table = api.register(want.reset_index(drop=True), dataset_display_name="parley_truth")
    ids = ("substr(join_key_l, strpos(join_key_l, '-__-') + 4) AS l, "
           "substr(join_key_r, strpos(join_key_r, '-__-') + 4) AS r")
    found = (
        f"WITH f AS (SELECT {ids} FROM {blocked}) "
        f"SELECT count(*) FROM ("
        f"SELECT w.left_id, w.right_id FROM {table.physical_name} w "
        f"JOIN f ON f.l = w.left_id AND f.r = w.right_id UNION "
        f"SELECT w.left_id, w.right_id FROM {table.physical_name} w "
        f"JOIN f ON f.l = w.right_id AND f.r = w.left_id)"
    )
    hits = int(query(found).to_numpy()[0, 0])
    table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return hits / len(want)


def _truth_keys(truth: pd.DataFrame, link_type: str) -> set[tuple[str, str]]:
    pairs = set(zip(truth["left_id"].astype(str), truth["right_id"].astype(str), strict=True))
    if link_type == "dedupe_only":
        pairs |= {(b, a) for a, b in pairs}
    return pairs


def run(
    frames: list[pd.DataFrame],
    *,
    threshold: float = 0.5,
    engine: str = "duckdb",
    labels: pd.DataFrame | None = None,
    truth: pd.DataFrame | None = None,
    progress: Progress | None = None,
    model: ModelName = "parley",
    one_to_one_links: bool = False,
    competing: bool = True,
    refit: bool = False,
    em_max_pairs: float = 1e6,
    u_max_pairs: float = 5e5,
) -> LinkageResult:
    """The whole run for one (dedupe) or two (link) canonical-schema frames; ``refit``
    re-estimates the prior from the scored pairs (``calibration.refit_prior``)."""
    say = progress or _noop
    if not 0.0 <= threshold <= 1.0:
        raise InvalidInput(N_("threshold %(threshold)s is not a probability (0..1)"),
                           threshold=threshold)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    link_type = "link_only" if len(frames) == 2 else "dedupe_only"
    for i, frame in enumerate(frames):
        _check_ids(frame, "left" if i == 0 else "right")

    say("prepare", 0.0)
    feats = []
    run_together = surnames_of(frames)
    for i, frame in enumerate(frames):
        feats.append(prepare(frame, run_together))
        say("prepare", (i + 1) / len(frames))
    add_swap_keys(feats)
    feats = [_compact(f, model) for f in feats]
    release()
    if "addr_key" not in _present(feats):
        feats = [f.drop(columns=list(m.ADDRESS_COLUMNS), errors="ignore") for f in feats]
    timings["prepare_s"] = time.perf_counter() - t0

    t = time.perf_counter()
    api = db_api(engine)
    tables = [
        api.register(f, dataset_display_name=name)
        for f, name in zip(feats, (_TABLE_A, _TABLE_B), strict=False)
    ]
    dialect = "duckdb" if engine == "duckdb" else "spark"
    present = _present(feats)
    settings = _settings(model, link_type, dialect, present)
    # Typed as Any: several Splink methods are unannotated, which mypy --strict refuses to call.
    linker: Any = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=None)
    comparison_names = [c.output_column_name for c in linker._settings_obj.comparisons]

    say("train", 0.0)
    trainer = linker
    train_api = api
    if engine == "duckdb" and max(len(f) for f in feats) > _TRAIN_MAX_ROWS:
        # A registry of a million rows says no more about m and u than a random quarter-million
        # of it; training on a sample (kept with every labelled record) then scoring the whole
        # is several times faster. The prior is a rate per pair, so it carries over unchanged.
        label_ids = _label_ids(labels)
        train_api = db_api(engine)
        train_tables = [
            train_api.register(_train_sample(f, label_ids), dataset_display_name=name)
            for f, name in zip(feats, (_TABLE_A, _TABLE_B), strict=False)
        ]
        trainer = Linker(
            train_tables if len(train_tables) > 1 else train_tables[0],
            _settings(model, link_type, dialect, present),
            log_level=None,
        )
    deterministic = m.parley_deterministic() if model == "parley" else m.plain_deterministic()
    trainer.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    trainer.training.estimate_u_using_random_sampling(
        max_pairs=u_max_pairs, seed=7, num_chunks=1, min_count_per_level=None
    )
    blocks = m.parley_training_blocks() if model == "parley" else m.plain_training_blocks()
    for i, block in enumerate(blocks):
        # A pass that finds no pairs (e.g. no numbers in the files) is skipped; others train.
        with contextlib.suppress(EMTrainingException):
            trainer.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
            )
        say("train", (i + 1) / (len(blocks) + 1))
    if labels is not None and bool(labels["is_match"].astype(bool).any()):
        positives = labels[labels["is_match"].astype(bool)]
        lab = train_api.register(
            _labels_frame(positives, link_type), dataset_display_name="parley_labels"
        )
        trainer.training.estimate_m_from_pairwise_labels(lab)
    if trainer is not linker:
        model_json = trainer.misc.save_model_to_json()
        linker = Linker(tables if len(tables) > 1 else tables[0], model_json, log_level=None)
        del trainer
        close(train_api)
        release()
    say("train", 1.0)
    timings["train_s"] = time.perf_counter() - t

    t = time.perf_counter()
    say("block", 0.0)
    for_scoring(api)
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    pairs_compared = _count(linker, f"SELECT count(*) FROM {blocked.physical_name}")
    recall_ceiling: float | None = None
    if truth is not None and len(truth):
        recall_ceiling = recall_ceiling_of(api, blocked.physical_name, truth,
                                           query=lambda sql: _query(linker, sql))
    say("block", 1.0)
    timings["block_s"] = time.perf_counter() - t

    t = time.perf_counter()
    say("predict", 0.0)
    floor = min(threshold, _FLOOR)
    fit_to_budget(api, DUCKDB_MEMORY_LIMIT)
    predicted = linker.inference.predict(threshold_match_probability=floor)
    raw = _fetch(linker, predicted.physical_name)
    predicted.drop_table_from_database_and_remove_from_cache()
    blocked.drop_table_from_database_and_remove_from_cache()
    pairs = _tidy_pairs(raw, comparison_names)
    prior = float(linker._settings_obj._probability_two_random_records_match)
    if refit:
        sizes = [len(f) for f in feats]
        total = sizes[0] * sizes[-1] if len(sizes) > 1 else sizes[0] * (sizes[0] - 1) // 2
        prior = refit_prior(pairs, prior, total)
    ceilings: Ceilings | None = None
    if model == "parley":
        _restore_gammas(raw, linker)
        # Candidates compete for a record of the *other* input only: within one input (a
        # dedupe) a person may hold any number of records.
        ceilings = apply_guards(pairs, raw, feats,
                                competing=competing and link_type == "link_only")
    say("predict", 1.0)
    timings["predict_s"] = time.perf_counter() - t

    calibrator: Calibrator | None = None
    if labels is not None and len(labels):
        lab_keys = {
            (str(a), str(b)): bool(v)
            for a, b, v in zip(
                labels["left_id"], labels["right_id"], labels["is_match"], strict=True
            )
        }
        scored = pairs[
            [(a, b) in lab_keys for a, b in zip(pairs["left_id"], pairs["right_id"], strict=True)]
        ]
        outcomes = np.array(
            [lab_keys[(a, b)] for a, b in zip(scored["left_id"], scored["right_id"], strict=True)]
        )
        calibrator = fit_isotonic(scored["match_probability"].to_numpy(), outcomes)
        if calibrator is not None:
            pairs["raw_probability"] = pairs["match_probability"]
            pairs["match_probability"] = calibrator(pairs["match_probability"].to_numpy())
            if ceilings is not None:
                # Calibration is monotone but may lift a capped pair over its cap again.
                enforce(pairs, ceilings)

    stats: dict[str, Any] = {
        "engine": engine,
        "model": model,
        "names_engine": "parley.names" if names_available() else "fallback fold",
        "records": [len(f) for f in frames],
        "pairs_compared": pairs_compared,
        "blocking_recall_ceiling": recall_ceiling,
        "calibrated_with_labels": calibrator is not None,
        "lambda": prior,
    }
    if truth is not None:
        want = _truth_keys(truth, link_type)
        outcome = np.array(
            [(a, b) in want for a, b in zip(pairs["left_id"], pairs["right_id"], strict=True)],
            dtype=bool,
        )
        stats["calibration_error"] = expected_calibration_error(
            pairs["match_probability"].to_numpy(), outcome
        )

    pairs = pairs[pairs["match_probability"] >= threshold]
    if one_to_one_links:
        pairs = one_to_one(pairs)
    pairs = pairs.sort_values(
        ["match_probability", "left_id", "right_id"], ascending=[False, True, True]
    ).reset_index(drop=True)

    clusters: pd.DataFrame | None = None
    if link_type == "dedupe_only":
        clusters = connected_clusters(frames[0]["record_id"].astype(str).tolist(), pairs, threshold)
    timings["total_s"] = time.perf_counter() - t0
    stats["timings"] = timings
    stats["pairs_linked"] = len(pairs)
    say("done", 1.0)
    return LinkageResult(pairs=pairs, clusters=clusters, stats=stats)
