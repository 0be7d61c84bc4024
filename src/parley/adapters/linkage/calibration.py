"""Calibration: is a pair scored 0.9 right about nine times in ten?

Splink's probabilities assume the fields are independent given match status; names, birth dates
and numbers are not (a damaged record is damaged everywhere), so raw scores tend to be
over-confident. Two tools: the expected calibration error (ECE) against known truth, and an
isotonic map fitted on labelled pairs (reviewers' decisions) that turns raw scores into
calibrated ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression  # type: ignore[import-untyped]


def expected_calibration_error(
    probabilities: Sequence[float] | np.ndarray,
    outcomes: Sequence[bool] | np.ndarray,
    bins: int = 10,
) -> float:
    """Weighted mean |observed match rate − mean predicted| over equal-width probability bins."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    if p.size == 0:
        return 0.0
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() * abs(y[mask].mean() - p[mask].mean())
    return float(total / p.size)


@dataclass(frozen=True)
class Calibrator:
    """A monotone map raw probability → calibrated probability, fitted on labelled pairs."""

    model: IsotonicRegression
    n_labels: int

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict(np.asarray(raw, dtype=float)), dtype=float)


def fit_isotonic(raw: np.ndarray, outcomes: np.ndarray) -> Calibrator | None:
    """Fit on labels if there are both matches and non-matches; ``None`` otherwise."""
    y = np.asarray(outcomes, dtype=float)
    if y.size < 20 or y.min() == y.max():
        return None
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit(np.asarray(raw, dtype=float), y)
    return Calibrator(model=model, n_labels=int(y.size))


def refit_prior(pairs: pd.DataFrame, prior: float, comparisons: int, *, rounds: int = 50) -> float:
    """Re-estimate the prior match rate as the rate of matches the model itself finds, and
    rescore ``pairs`` with it (in place); returns the new prior.

    The prior comes from deterministic rules assumed to find 70 % of matches. Where most
    records lack what those rules read (an answer to a list: birth dates left out, names
    mangled), they find far fewer and the prior is too low, which pulls every pair's
    probability down by the same factor. Given each pair's Bayes factors, the prior whose
    posterior probabilities add up to prior × comparisons is a fixed point (EM on the prior
    alone); pairs below the prediction floor add almost nothing to the sum.
    """
    if not len(pairs) or comparisons <= 0 or not 0.0 < prior < 1.0:
        return prior
    evidence = pairs["match_weight"].to_numpy(dtype=float) - np.log2(prior / (1.0 - prior))
    rate = prior
    for _ in range(rounds):
        odds = rate / (1.0 - rate) * np.exp2(evidence)
        found = float(np.sum(odds / (1.0 + odds)))
        new = min(max(found / comparisons, 1e-12), 0.5)
        if abs(new - rate) <= 1e-6 * rate:
            rate = new
            break
        rate = new
    weight = np.log2(rate / (1.0 - rate)) + evidence
    pairs["match_weight"] = weight
    pairs["match_probability"] = 1.0 / (1.0 + np.exp2(-weight))
    return rate
