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
