"""The linkage engine: a Fellegi–Sunter model on Splink, made for cross-script identity records.

Public API (stable; the workspace resolution service and ``parley match`` call it)::

    from parley.adapters.linkage import link, dedupe, LinkageResult

    link(left, right, *, threshold=0.5, engine="duckdb", labels=None, truth=None,
         progress=None, one_to_one=False) -> LinkageResult
    dedupe(records, *, threshold=0.5, engine="duckdb", labels=None, truth=None,
           progress=None, one_to_one=False) -> LinkageResult

Inputs are pandas frames in the canonical schema (``record_id`` unique non-empty strings;
``family_name, given_name, patronymic, birth_date, sex, service_number, document_number,
military_unit, rank, birth_place, capture_date, capture_place``, optionally ``full_name``; string
values, "" for missing; any other column is ignored).

``LinkageResult``:
  * ``pairs`` — ``left_id, right_id, match_probability, match_weight`` and one ``bf_<comparison>``
    column per comparison (log2 Bayes factor incl. term-frequency adjustment; they sum with the
    prior's log2 odds to ``match_weight``) — for waterfalls. Comparisons: ``family_name,
    given_name, patronymic, birth_date, service_number, document_number, sex, military_unit,
    rank, birth_place, capture``, and ``bf_guard``: what the guards' caps took off (0 if
    none), so the bars still sum to ``match_weight``. Only pairs with ``match_probability >=
    threshold``, sorted by probability. For ``dedupe`` both ids are record ids of the one frame.
  * ``clusters`` — ``record_id, cluster_id`` (dedupe only; connected components at threshold;
    cluster id = smallest record id in it).
  * ``stats`` — ``pairs_compared``, ``blocking_recall_ceiling`` (if ``truth`` given),
    ``calibration_error`` (ECE over 10 bins, if ``truth`` given), ``timings`` (seconds per stage),
    ``lambda`` (prior match probability), ``engine``, ``names_engine``, ``pairs_linked``.

Arguments:
  * ``labels`` — reviewers' decisions, a frame ``left_id, right_id, is_match`` (bool). Matches
    re-estimate the m-probabilities; all labels fit an isotonic calibration map that replaces
    the raw probabilities (the raw one is kept as ``raw_probability``).
  * ``truth`` — ``left_id, right_id`` of known true pairs (benchmarks/tests only) for the
    blocking recall ceiling and calibration error.
  * ``one_to_one`` — each record in at most one pair (greedy best-first), for lists that must be
    duplicate-free.
  * ``competing`` (link only) — candidates of one record that cannot be one person (born on
    different dates, or different names) are rivals, at most one of them that record: they
    share its probability (``guards.namesake_ceilings``). Turn it off when the other input
    holds several records of one person (a raw registry). A dedupe never competes.
  * ``refit_prior`` — re-estimate the prior match rate from the scored pairs themselves
    (``calibration.refit_prior``): for inputs whose matches mostly lack what the deterministic
    rules read (an answer to a list, dates left out), whose prior would be too low.
  * ``progress(stage, fraction)`` — stages ``prepare, train, block, predict, done``.
  * ``engine`` — ``duckdb`` (in process) or ``spark`` (local[2]; same model, same SQL).

How the model works: ``features.prepare`` computes per record, once per distinct value, the
cross-script name keys from ``parley.names`` (surname skeleton, given-name id merging UA/RU/EN
forms and diminutives, patronymic = father's name id, phonetic keys, translits), birth
year/month/day, OCR-folded numbers, unit, place and capture-day keys. ``model`` defines the
comparisons (levels from exact agreement down to contradiction; contradictions on birth date,
patronymic, given name and numbers weigh heavily against a match so relatives and namesakes stay
apart), term-frequency adjustment on name keys, and OR-ed blocking rules. Training needs no
labels: u from random sampling, the prior from near-certain deterministic rules, m by EM over
several blocking passes.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from parley.adapters.linkage.pipeline import LinkageResult, run

__all__ = ["LinkageResult", "dedupe", "link"]


def link(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    threshold: float = 0.5,
    engine: str = "duckdb",
    labels: pd.DataFrame | None = None,
    truth: pd.DataFrame | None = None,
    progress: Callable[[str, float], None] | None = None,
    one_to_one: bool = False,
    competing: bool = True,
    refit_prior: bool = False,
) -> LinkageResult:
    """Pairs of records, one from each frame, that are the same person."""
    return run(
        [left, right],
        threshold=threshold,
        engine=engine,
        labels=labels,
        truth=truth,
        progress=progress,
        one_to_one_links=one_to_one,
        competing=competing,
        refit=refit_prior,
    )


def dedupe(
    records: pd.DataFrame,
    *,
    threshold: float = 0.5,
    engine: str = "duckdb",
    labels: pd.DataFrame | None = None,
    truth: pd.DataFrame | None = None,
    progress: Callable[[str, float], None] | None = None,
    one_to_one: bool = False,
    competing: bool = True,
) -> LinkageResult:
    """Pairs within one frame that are the same person, and the clusters they form."""
    return run(
        [records],
        threshold=threshold,
        engine=engine,
        labels=labels,
        truth=truth,
        progress=progress,
        one_to_one_links=one_to_one,
        competing=competing,
    )
