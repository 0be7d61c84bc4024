"""Building blocks of the linkage model's comparisons, made with Splink's typed level builders
(``splink.comparison_level_library``): Splink writes each level's SQL in the engine's dialect.

Custom SQL appears only inside a ``CustomLevel``, for what no builder expresses (a
Jaro-Winkler across two columns, a ratio of shared address parts); its engine functions are
named through Splink's own dialect (``Sql``), so the same model runs on DuckDB and on Spark.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

Level = ComparisonLevelCreator
Comparison = ComparisonCreator


def null_level(col: str) -> Level:
    return cll.NullLevel(col)


def null_when(sql: str) -> Level:
    """A null level on a condition of its own (an initial stands in for a missing name)."""
    return cll.CustomLevel(sql, "null").configure(is_null_level=True)


def else_level(fixed_m: float | None = None) -> Level:
    """The disagreement level. ``fixed_m`` pins how often a *true* match disagrees outright.

    EM learns m from pairs that mostly differ in many fields at once, so it under-rates a clean
    contradiction on one strong field; and relatives share surname, patronymic, birth date (twins)
    and birth place, so the evidence of those fields is not independent among non-matches. A
    pinned, small m makes a real contradiction on the given name, patronymic, sex or a number
    decisive, which is what keeps twins, brothers and father and son apart.
    """
    level: Level = cll.ElseLevel()
    if fixed_m is not None:
        level = level.configure(m_probability=fixed_m, fix_m_probability=True)
    return level


def label(level: Level, text: str, tf: str | None = None, tf_weight: float = 1.0) -> Level:
    """``level`` with its chart label and, optionally, a term-frequency adjustment."""
    if tf:
        return level.configure(label_for_charts=text, tf_adjustment_column=tf,
                               tf_adjustment_weight=tf_weight)  # fmt: skip
    return level.configure(label_for_charts=text)


def pinned(level: Level, m: float, u: float | None = None) -> Level:
    """``level`` with m (and u) fixed: EM must not move what the domain knows."""
    if u is None:
        return level.configure(m_probability=m, fix_m_probability=True)
    return level.configure(m_probability=m, fix_m_probability=True, u_probability=u,
                           fix_u_probability=True)  # fmt: skip


def custom(sql: str, text: str) -> Level:
    return cll.CustomLevel(sql, text)


def eq(col: str) -> Level:
    return cll.ExactMatchLevel(col)


def jw(col: str, threshold: float) -> Level:
    return cll.JaroWinklerLevel(col, threshold)


def dl(col: str, n: int) -> Level:
    return cll.DamerauLevenshteinLevel(col, n)


def lev(col: str, n: int) -> Level:
    return cll.LevenshteinLevel(col, n)


def reversed_cols(left: str, right: str) -> Level:
    """``left`` of the left record equals ``right`` of the right record (one direction)."""
    return cll.ColumnsReversedLevel(left, right)


class Sql:
    """Engine functions for the SQL inside ``CustomLevel``s, named by Splink's dialect."""

    def __init__(self, dialect: str) -> None:
        d = SplinkDialect.from_string(dialect)
        self.jw = d.jaro_winkler_function_name
        self.dialect = dialect

    def shared(self, col: str) -> str:
        """How many elements two array columns share."""
        if self.dialect == "spark":
            return f"size(array_intersect({col}_l, {col}_r))"
        return f"len(list_intersect({col}_l, {col}_r))"

    def size(self, col: str, side: str) -> str:
        fn = "size" if self.dialect == "spark" else "len"
        return f"{fn}({col}_{side})"
