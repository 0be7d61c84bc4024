"""The Fellegi–Sunter model: comparisons made for this domain, blocking, and the plain baseline.

Each comparison's levels run from the strongest agreement to outright disagreement; EM learns how
much each level says. Levels are ordered so a *contradiction* on a strong identifier (two
different full birth dates, two different service numbers, a different patronymic) lands in the
"else" level with a strongly negative weight — that is what keeps brothers, father and son and
namesakes apart. Fuzzy levels use the engine's own SQL functions, named through Splink's dialect
so the same model runs on DuckDB and on Spark.
"""

from __future__ import annotations

from splink import block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.blocking_rule_library import CustomRule

from parley.adapters.linkage.levels import Comparison, Level
from parley.adapters.linkage.levels import Sql as _Sql
from parley.adapters.linkage.levels import else_level as _else
from parley.adapters.linkage.levels import eq as _eq
from parley.adapters.linkage.levels import lvl as _lvl
from parley.adapters.linkage.levels import null_level as _null

# The feature column(s) a comparison needs; a comparison whose columns are empty in an input is
# left out of the model (FEBRL has no patronymic; a list may carry no service numbers).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "family_name": ("fam_key",),
    "given_name": ("giv_init",),
    "patronymic": ("pat_init",),
    "birth_date": ("byr",),
    "service_number": ("sn",),
    "document_number": ("dn",),
    "sex": ("sex",),
    "military_unit": ("unit",),
    "rank": ("rank",),
    "birth_place": ("bplace",),
    "capture": ("cday", "cplace"),
    "address": ("addr_key",),
}
PLAIN_REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "family_name": ("fold_fam",),
    "given_name": ("fold_giv",),
    "birth_date": ("byr",),
    "sex": ("sex",),
}


def _id_agrees(s: _Sql, present: set[str]) -> str | None:
    """SQL: a personal number (service or document) agrees, after OCR folding or up to one
    swap of neighbouring characters (a typing slip; numbers issued in sequence differ by a
    substituted digit, which does not count); ``None`` if no input has one."""
    parts = [
        f"(length({c}_l) >= 5 AND ({c}_l = {c}_r OR "
        f"({s.dl}({c}_l, {c}_r) = 1 AND {s.lev}({c}_l, {c}_r) = 2)))"
        for c in ("sn", "dn")
        if c in present
    ]
    return " OR ".join(parts) or None


def _number_vouches(id_agrees: str | None, what: str, m: float) -> list[Level]:
    """A level for "``what`` differs, but a personal number agrees" (none without numbers).

    Names change (marriage) and dates are mistyped, but a service or document number belongs to
    one person: with it agreeing, a different surname or birth date is a strong contradiction,
    not a final one. Relatives do not share personal numbers, so this frees no brother or twin.
    """
    if not id_agrees:
        return []
    # u is pinned too: random pairs seldom share a number, so u estimated for this level would be
    # tiny and turn a contradiction into evidence *for* a match — counting the number twice.
    return [{**_lvl(id_agrees, f"{what} differs, but a personal number agrees"),
             "m_probability": m,
             "u_probability": 0.98, "fix_u_probability": True}]  # fmt: skip


def parley_comparisons(dialect: str, present: set[str]) -> list[Comparison]:
    """The domain model's comparisons (one per identity field); ``present`` names the feature
    columns that have values in every input (a level on an all-empty column is left out)."""
    s = _Sql(dialect)
    id_agrees = _id_agrees(s, present)
    swapped = (
        "(fam_key_l = sw_fam_key_r AND giv_key_l = sw_giv_key_r) OR "
        "(sw_fam_key_l = fam_key_r AND sw_giv_key_l = giv_key_r)"
    )
    # Swapped order beside a slip in either name: each part close to the other's opposite.
    swapped_slip = (
        f"{s.jw}(fam_tr_l, giv_tr_r) >= 0.85 AND {s.jw}(giv_tr_l, fam_tr_r) >= 0.85 "
        f"AND NOT {_eq('fam_key')}"
    )
    family: Comparison = {
        "output_column_name": "family_name",
        "comparison_description": "surname: exact, same cross-script key, phonetic, typo, swap",
        "comparison_levels": [
            _null("fam_key"),
            _lvl(f"{_eq('fam_key')} AND {_eq('fam_tr')}", "exact", tf="fam_key"),
            _lvl(_eq("fam_key"), "same key (script/form/gender)", tf="fam_key"),
            _lvl(_eq("fam_ph"), "phonetic"),
            _lvl(f"{s.jw_ge('fam_tr', 0.92)} OR {s.dl_le('fam_key', 1)}", "typo"),
            _lvl(swapped, "swapped with given name", tf="fam_key"),
            _lvl(swapped_slip, "swapped with given name, with a slip"),
            _lvl(s.jw_ge("fam_tr", 0.8), "similar"),
            # A wholly different surname: in a registry of a million, given name, patronymic and
            # birth date coincide for hundreds of strangers, so this must weigh heavily.
            *_number_vouches(id_agrees, "surname", 2e-2),
            _else(fixed_m=2e-3),
        ],
    }
    given: Comparison = {
        "output_column_name": "given_name",
        "comparison_description": "given name: canonical id (forms, diminutives), typo, initial",
        "comparison_levels": [
            {
                "sql_condition": "giv_init_l IS NULL OR giv_init_r IS NULL",
                "label_for_charts": "null",
                "is_null_level": True,
            },
            _lvl(f"{_eq('giv_key')} AND {_eq('giv_tr')}", "exact", tf="giv_key"),
            _lvl(_eq("giv_key"), "same given-name id", tf="giv_key"),
            _lvl(swapped, "swapped with surname", tf="giv_key"),
            _lvl(swapped_slip, "swapped with surname, with a slip"),
            # A phonetic code alone is too coarse for given names (Mykhailo and Nikolai share
            # one): it counts only beside spellings that are close anyway.
            _lvl(
                f"({_eq('giv_ph')} AND {s.jw_ge('giv_tr', 0.8)}) OR {s.jw_ge('giv_tr', 0.93)}",
                "phonetic or typo",
            ),
            _lvl(
                "(giv_key_l IS NULL OR giv_key_r IS NULL) AND giv_init_l = giv_init_r",
                "initial agrees",
            ),
            _lvl(f"{s.dl_le('giv_tr', 2)} OR {s.jw_ge('giv_tr', 0.85)}", "weakly similar"),
            # A different given name is decisive between relatives, who share surname,
            # patronymic, birth date (twins) and place — but not a personal document or service
            # number. With such a number agreeing, it is a strong, not a final, contradiction.
            *_number_vouches(id_agrees, "given name", 1e-3),
            _else(fixed_m=1e-6),
        ],
    }
    patronymic: Comparison = {
        "output_column_name": "patronymic",
        "comparison_description": "patronymic: father's name id, typo, initial",
        "comparison_levels": [
            {
                "sql_condition": "pat_init_l IS NULL OR pat_init_r IS NULL",
                "label_for_charts": "null",
                "is_null_level": True,
            },
            _lvl(_eq("pat_key"), "same father's name", tf="pat_key"),
            _lvl(s.jw_ge("pat_tr", 0.92), "typo"),
            _lvl(
                "(pat_key_l IS NULL OR pat_key_r IS NULL) AND pat_init_l = pat_init_r",
                "initial agrees",
            ),
            _lvl(f"{s.dl_le('pat_tr', 2)} OR {s.jw_ge('pat_tr', 0.85)}", "weakly similar"),
            _else(fixed_m=1e-3),
        ],
    }
    birth: Comparison = {
        "output_column_name": "birth_date",
        "comparison_description": "birth date: full, swapped day/month, partial, typo, year ±1",
        "comparison_levels": [
            _null("byr"),
            _lvl(f"bdate_l IS NOT NULL AND {_eq('bdate')}", "exact full date"),
            _lvl(
                f"{_eq('byr')} AND bdy_l IS NOT NULL AND bdy_r IS NOT NULL AND "
                "bmo_l = bdy_r AND bdy_l = bmo_r",
                "day/month swapped",
            ),
            _lvl(
                f"{_eq('byr')} AND (bmo_l IS NULL OR bmo_r IS NULL OR ({_eq('bmo')} AND "
                "(bdy_l IS NULL OR bdy_r IS NULL)))",
                "partial date compatible",
            ),
            _lvl(
                f"bdig_l IS NOT NULL AND bdig_r IS NOT NULL AND {s.dl_le('bdig', 1)}",
                "one digit differs or two swapped",
            ),
            _lvl(_eq("byr"), "same year, month or day differ"),
            _lvl("abs(byr_l - byr_r) <= 1", "year ±1"),
            *_number_vouches(id_agrees, "birth date", 2e-2),
            # A generation apart (father and son of one name): no agreeing name outvotes it.
            # Right above "else", so its gamma is ``guards.DECADES_APART_GAMMA``.
            {
                **_lvl("abs(byr_l - byr_r) >= 10", "decades apart"),
                "m_probability": 1e-5,
                "fix_m_probability": True,
            },
            _else(fixed_m=2e-3),
        ],
    }
    comparisons = [family, given, patronymic, birth]
    # A service number stays with a person; documents are renewed and people hold several, so a
    # different document number is left for EM to weigh.
    for col, label, pin in (("sn", "service_number", 2e-3), ("dn", "document_number", None)):
        comparisons.append(
            {
                "output_column_name": label,
                "comparison_description": f"{label}: exact, OCR confusion, one character",
                "comparison_levels": [
                    _null(col),
                    _lvl(_eq(f"{col}_raw"), "exact"),
                    _lvl(_eq(col), "equal after OCR folding"),
                    # Numbers issued in sequence (twins' passports) differ by one digit and are
                    # close in value: beside wholly different given names that says nothing
                    # either way. A digit substituted further from the end is a typing slip.
                    {
                        **_lvl(
                            f"{s.lev}({col}_l, {col}_r) = 1 AND giv_key_l <> giv_key_r "
                            f"AND {s.jw}(giv_tr_l, giv_tr_r) < 0.85 "
                            f"AND abs({col}_num_l - {col}_num_r) < 100",
                            "one character differs, given names differ",
                        ),
                        "m_probability": 0.5,
                        "fix_m_probability": True,
                        "u_probability": 0.5,
                        "fix_u_probability": True,
                    },
                    _lvl(s.dl_le(col, 1), "one character differs"),
                    _else(fixed_m=pin),
                ],
            }
        )
    comparisons += [
        {
            "output_column_name": "sex",
            "comparison_description": "sex (observed, else from the name's form)",
            "comparison_levels": [
                _null("sex"),
                _lvl(_eq("sex"), "same"),
                *_sex_from_given_names(present),
                _else(fixed_m=2e-3),
            ],
        },
        {
            "output_column_name": "military_unit",
            "comparison_description": "military unit",
            "comparison_levels": [
                _null("unit"),
                # Hundreds of people serve in one unit; a synthetic registry has more units than a
                # real one, so u is pinned to keep "same unit" from outweighing a contradiction.
                {**_lvl(_eq("unit"), "same"), "u_probability": 0.02, "fix_u_probability": True},
                _lvl(s.dl_le("unit", 1), "one character differs"),
                _else(),
            ],
        },
        {
            "output_column_name": "rank",
            "comparison_description": "rank (canonical)",
            "comparison_levels": [_null("rank"), _lvl(_eq("rank"), "same"), _else()],
        },
        {
            "output_column_name": "birth_place",
            "comparison_description": "birth place (folded to Latin)",
            "comparison_levels": [
                _null("bplace"),
                _lvl(s.jw_ge("bplace", 0.9), "same or close"),
                _else(),
            ],
        },
        _capture(s, present),
        _address(s),
    ]
    return comparisons


def _address(s: _Sql) -> Comparison:
    """Home or registered address, when sources have one (civilian registries, relatives'
    requests). Relatives share it, so EM weighs it and it never frees a contradiction on the
    given name (see ``pipeline``: such a pair is at most sent to review)."""
    most = (
        f"{s.shared('addr_tok')} >= 2 AND 3 * {s.shared('addr_tok')} >= "
        f"2 * least({s.size('addr_tok', 'l')}, {s.size('addr_tok', 'r')})"
    )
    return {
        "output_column_name": "address",
        "comparison_description": "address: same parts in any order, typo, most parts shared",
        "comparison_levels": [
            _null("addr_key"),
            _lvl(_eq("addr_key"), "same parts"),
            # Jaro-Winkler, not edit distance: addresses are long and edit distance is quadratic.
            _lvl(f"{s.jw_ge('addr_ns', 0.95)} OR {s.jw_ge('addr_key', 0.95)}", "typo or spacing"),
            _lvl(most, "most parts shared"),
            _else(),
        ],
    }


def _sex_from_given_names(present: set[str]) -> list[Level]:
    """A neutral level: the sexes differ, but one was read from a given name alone and the
    given names differ — the given-name comparison has weighed that already (Lara vs Jory is one
    contradiction, not two). Sex read from a patronymic or surname form, or observed, still
    counts; so does a sex difference between gender forms of one given name (Yevhen/Yevheniia)."""
    if "sex_giv" not in present:
        return []
    return [
        {
            **_lvl(
                "(sex_giv_l IS NOT NULL OR sex_giv_r IS NOT NULL) AND giv_key_l <> giv_key_r",
                "differs, read from given names that differ",
            ),
            "m_probability": 0.5,
            "fix_m_probability": True,
            "u_probability": 0.5,
            "fix_u_probability": True,
        }
    ]


def _capture(s: _Sql, present: set[str]) -> Comparison:
    """Capture date window and place. Splink leaves out a comparison whose SQL names an
    all-empty column, so only the columns an input has are named."""
    day, place = "cday" in present, "cplace" in present
    null = " AND ".join(
        f"({c}_l IS NULL OR {c}_r IS NULL)" for c, ok in (("cday", day), ("cplace", place)) if ok
    )
    levels: list[Level] = [
        {"sql_condition": null or "1 = 1", "label_for_charts": "null", "is_null_level": True}
    ]
    if day:
        levels.append(_lvl("abs(cday_l - cday_r) <= 3", "within 3 days"))
    near = [sql for sql, ok in (("abs(cday_l - cday_r) <= 45", day),
                                (s.jw_ge("cplace", 0.9), place)) if ok]  # fmt: skip
    if near:
        levels.append(_lvl(" OR ".join(near), "within 45 days or same place"))
    levels.append(_else())
    return {
        "output_column_name": "capture",
        "comparison_description": "capture date window and place",
        "comparison_levels": levels,
    }


# Feature columns of the address, left out of the engine's tables when no input has one.
ADDRESS_COLUMNS: tuple[str, ...] = ("addr_key", "addr_ns", "addr_tok", "addr_blk")


def parley_blocking(present: set[str]) -> list[BlockingRuleCreator]:
    """Prediction blocking: OR of rules chosen for recall on cross-script data.

    Each rule survives a different kind of damage: a surname typo (given+patronymic+year), a wrong
    birth date (surname+given), a changed name form (phonetic), swapped name order, and strong
    identifiers on their own.
    """
    return [
        block_on("fam_key", "byr"),
        # Same surname and given name: a block of every namesake on a large registry, so the
        # birth dates must not rule the pair out (one missing, years close, or day and month
        # the same with the year mistyped).
        CustomRule(
            "l.fam_key = r.fam_key AND l.giv_key = r.giv_key AND (l.byr IS NULL OR "
            "r.byr IS NULL OR abs(l.byr - r.byr) <= 2 OR l.bmd = r.bmd)"
        ),
        block_on("giv_key", "pat_key", "byr"),
        # Day and month in either order: the exact birth date, or the two swapped.
        block_on("bdate_dm"),
        # OCR/handwriting confusions in the surname; a slip in its first letters.
        block_on("fam_ocr", "byr"),
        CustomRule(
            "l.fam_ocr = r.fam_ocr AND l.giv_key = r.giv_key AND (l.byr IS NULL OR "
            "r.byr IS NULL OR abs(l.byr - r.byr) <= 2 OR l.bmd = r.bmd)"
        ),
        block_on("fam_tail", "byr"),
        block_on("fam_tail", "giv_key", "bmo"),
        # A year off by one beside a slip in the surname.
        CustomRule("l.giv_key = r.giv_key AND l.bmd = r.bmd AND abs(l.byr - r.byr) <= 1"),
        # No birth date on one side: the surname's key and the given name's initial.
        CustomRule(
            "l.fam_key = r.fam_key AND l.giv_init = r.giv_init "
            "AND (l.byr IS NULL OR r.byr IS NULL)"
        ),
        # Swapped name order beside a typo in one of the names.
        CustomRule("l.sw_giv_key = r.giv_key AND l.byr = r.byr"),
        CustomRule("l.giv_key = r.sw_giv_key AND l.byr = r.byr"),
        CustomRule("l.sw_fam_key = r.fam_key AND l.byr = r.byr"),
        CustomRule("l.fam_key = r.sw_fam_key AND l.byr = r.byr"),
        block_on("fam_ph", "giv_ph", "bym"),
        block_on("giv_key", "pat_key", "fam_k1"),
        block_on("sn"),
        block_on("dn"),
        CustomRule("l.fam_key = r.sw_fam_key AND l.giv_key = r.sw_giv_key"),
        CustomRule("l.giv_key = r.sw_giv_key AND l.pat_key = r.pat_key"),
        CustomRule("l.sw_giv_key = r.giv_key AND l.pat_key = r.pat_key"),
        *([block_on("addr_blk")] if "addr_blk" in present else []),
    ]


def parley_training_blocks() -> list[BlockingRuleCreator]:
    """EM passes; each fixes some fields so the others' m-probabilities can be learnt."""
    return [
        block_on("fam_key", "giv_key"),
        block_on("byr", "bmo", "bdy"),
        block_on("sn"),
    ]


def parley_deterministic() -> list[str]:
    """Rules near-certain to be matches, used only to estimate the prior match rate."""
    return [
        "l.fam_key = r.fam_key AND l.giv_key = r.giv_key AND l.bdate = r.bdate",
        "l.sn = r.sn",
        "l.dn = r.dn",
    ]


def plain_comparisons(dialect: str) -> list[Comparison]:
    """The baseline: generic Splink comparisons on names folded Cyrillic→Latin."""
    s = _Sql(dialect)
    comps: list[Comparison] = []
    for col, label in (("fold_fam", "family_name"), ("fold_giv", "given_name")):
        comps.append(
            {
                "output_column_name": label,
                "comparison_levels": [
                    _null(col),
                    _lvl(_eq(col), "exact", tf=col),
                    _lvl(s.jw_ge(col, 0.92), "jw 0.92"),
                    _lvl(s.jw_ge(col, 0.8), "jw 0.8"),
                    _else(),
                ],
            }
        )
    comps.append(
        {
            "output_column_name": "birth_date",
            "comparison_levels": [
                _null("byr"),
                _lvl(f"bdate_l IS NOT NULL AND {_eq('bdate')}", "exact"),
                _lvl(f"{_eq('byr')} AND {_eq('bmo')}", "year and month"),
                _lvl(_eq("byr"), "year"),
                _else(),
            ],
        }
    )
    comps.append(
        {
            "output_column_name": "sex",
            "comparison_levels": [_null("sex"), _lvl(_eq("sex"), "same"), _else()],
        }
    )
    return comps


def plain_blocking() -> list[BlockingRuleCreator]:
    return [
        block_on("fold_fam", "byr"),
        block_on("fold_giv", "byr"),
        block_on("fold_fam", "fold_giv"),
    ]


def plain_training_blocks() -> list[BlockingRuleCreator]:
    return [block_on("fold_fam", "fold_giv"), block_on("byr", "bmo", "bdy")]


def plain_deterministic() -> list[str]:
    return ["l.fold_fam = r.fold_fam AND l.fold_giv = r.fold_giv AND l.bdate = r.bdate"]
