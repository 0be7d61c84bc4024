"""Building blocks of the linkage model's comparisons: level dicts and SQL in one engine's
dialect (DuckDB or Spark, through Splink's dialect names)."""

from __future__ import annotations

from typing import Any

from splink.internals.dialects import SplinkDialect

Level = dict[str, Any]
Comparison = dict[str, Any]

def null_level(col: str) -> Level:
    return {
        "sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
        "label_for_charts": "null",
        "is_null_level": True,
    }


def else_level(fixed_m: float | None = None) -> Level:
    """The disagreement level. ``fixed_m`` pins how often a *true* match disagrees outright.

    EM learns m from pairs that mostly differ in many fields at once, so it under-rates a clean
    contradiction on one strong field; and relatives share surname, patronymic, birth date (twins)
    and birth place, so the evidence of those fields is not independent among non-matches. A
    pinned, small m makes a real contradiction on the given name, patronymic, sex or a number
    decisive, which is what keeps twins, brothers and father and son apart.
    """
    level: Level = {"sql_condition": "ELSE", "label_for_charts": "all other"}
    if fixed_m is not None:
        level["m_probability"] = fixed_m
        level["fix_m_probability"] = True
    return level


def lvl(sql: str, label: str, tf: str | None = None, tf_weight: float = 1.0) -> Level:
    level: Level = {"sql_condition": sql, "label_for_charts": label}
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = tf_weight
    return level


class Sql:
    """SQL snippets in one engine's dialect."""

    def __init__(self, dialect: str) -> None:
        d = SplinkDialect.from_string(dialect)
        self.jw = d.jaro_winkler_function_name
        self.dl = d.damerau_levenshtein_function_name
        self.lev = d.levenshtein_function_name
        self.dialect = dialect

    def shared(self, col: str) -> str:
        """How many elements two array columns share."""
        if self.dialect == "spark":
            return f"size(array_intersect({col}_l, {col}_r))"
        return f"len(list_intersect({col}_l, {col}_r))"

    def size(self, col: str, side: str) -> str:
        fn = "size" if self.dialect == "spark" else "len"
        return f"{fn}({col}_{side})"

    def jw_ge(self, col: str, threshold: float) -> str:
        return f"{self.jw}({col}_l, {col}_r) >= {threshold}"

    def dl_le(self, col: str, n: int) -> str:
        return f"{self.dl}({col}_l, {col}_r) <= {n}"


def eq(col: str) -> str:
    return f"{col}_l = {col}_r"
