"""An independent generator of evaluation data for identity resolution (issue 11).

Written from its own brief, without reading Parley's name engine, its generator or its
linkage model: its own name tables, spelling habits, errors and hard negatives. Seeds 0-99
are for evaluation only (never tune on them); seeds >= 1000 are for tuning.
"""

from __future__ import annotations

from .damage import DAMAGE_CLASSES, DamageRates
from .options import Options

EVAL_SEEDS = range(100)
TUNING_SEED_MIN = 1000

__all__ = ["DAMAGE_CLASSES", "EVAL_SEEDS", "TUNING_SEED_MIN", "DamageRates", "Options"]
