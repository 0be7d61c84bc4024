"""The Fellegi–Sunter model: comparisons made for this domain, blocking, and the plain baseline.

Each comparison's levels run from the strongest agreement to outright disagreement; EM learns how
much each level says. Levels are ordered so a *contradiction* on a strong identifier (two
different full birth dates, two different service numbers, a different patronymic) lands in the
"else" level with a strongly negative weight — that is what keeps brothers, father and son and
namesakes apart. Levels are built with Splink's typed level builders (``levels``), which write the
SQL in the engine's dialect, so the same model runs on DuckDB and on Spark.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.blocking_rule_library import CustomRule

from parley.adapters.linkage.levels import Comparison, Level, Sql
from parley.adapters.linkage.levels import custom as _sql
from parley.adapters.linkage.levels import dl as _dl
from parley.adapters.linkage.levels import else_level as _else
from parley.adapters.linkage.levels import eq as _eq
from parley.adapters.linkage.levels import jw as _jw
from parley.adapters.linkage.levels import label as _label
from parley.adapters.linkage.levels import lev as _lev
from parley.adapters.linkage.levels import null_level as _null
from parley.adapters.linkage.levels import null_when as _null_when
from parley.adapters.linkage.levels import pinned as _pinned
from parley.adapters.linkage.levels import reversed_cols as _rev

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
Comparisons = dict[str, Comparison]


class _Named(cl.CustomComparison):
    """A comparison that tells its output name without being built for a dialect (building one
    whose columns are all empty, left out later, would fail)."""

    def __init__(self, name: str, description: str | None, levels: list[Level]) -> None:
        super().__init__(comparison_levels=list(levels), output_column_name=name,
                         comparison_description=description)  # fmt: skip
        self.name = name


def _comparison(name: str, description: str | None, levels: list[Level]) -> _Named:
    return _Named(name, description, levels)


def _id_agrees(present: set[str]) -> Level | None:
    """A personal number (service or document) agrees, after OCR folding or up to one swap of
    neighbouring characters (a typing slip; numbers issued in sequence differ by a substituted
    digit, which does not count); ``None`` if no input has one."""
    parts: list[Level] = [
        cll.And(_sql(f"length({c}_l) >= 5", "long enough"),
                cll.Or(_eq(c), cll.And(_dl(c, 1), cll.Not(_lev(c, 1)))))
        for c in ("sn", "dn")
        if c in present
    ]  # fmt: skip
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else cll.Or(*parts)


def _number_vouches(present: set[str], what: str, m: float) -> list[Level]:
    """A level for "``what`` differs, but a personal number agrees" (none without numbers).

    Names change (marriage) and dates are mistyped, but a service or document number belongs to
    one person: with it agreeing, a different surname or birth date is a strong contradiction,
    not a final one. Relatives do not share personal numbers, so this frees no brother or twin.
    """
    id_agrees = _id_agrees(present)  # a new level each time: ``configure`` changes it in place
    if id_agrees is None:
        return []
    # u is pinned too: random pairs seldom share a number, so u estimated for this level would be
    # tiny and turn a contradiction into evidence *for* a match — counting the number twice.
    return [_pinned(_label(id_agrees, f"{what} differs, but a personal number agrees"), m, 0.98)]


def _swapped() -> Level:
    """Surname and given name in swapped order: each part's key equals the other record's
    part read as the opposite part (``features.add_swap_keys``)."""
    return cll.Or(
        cll.And(_rev("fam_key", "sw_fam_key"), _rev("giv_key", "sw_giv_key")),
        cll.And(_rev("sw_fam_key", "fam_key"), _rev("sw_giv_key", "giv_key")),
    )


def _swapped_slip(s: Sql) -> Level:
    """Swapped order beside a slip in either name: each part close to the other's opposite."""
    return cll.And(
        _sql(f"{s.jw}(fam_tr_l, giv_tr_r) >= 0.85 AND {s.jw}(giv_tr_l, fam_tr_r) >= 0.85",
             "each part close to the other's opposite"),
        cll.Not(_eq("fam_key")),
    )  # fmt: skip


def _family(s: Sql, present: set[str]) -> _Named:
    return _comparison(
        "family_name", "surname: exact, same cross-script key, phonetic, typo, swap", [
        _null("fam_key"),
        _label(cll.And(_eq("fam_key"), _eq("fam_tr")), "exact", tf="fam_key"),
        _label(_eq("fam_key"), "same key (script/form/gender)", tf="fam_key"),
        _label(_eq("fam_ph"), "phonetic"),
        _label(cll.Or(_jw("fam_tr", 0.92), _dl("fam_key", 1)), "typo"),
        _label(_swapped(), "swapped with given name", tf="fam_key"),
        _label(_swapped_slip(s), "swapped with given name, with a slip"),
        _label(_jw("fam_tr", 0.8), "similar"),
        # A wholly different surname: in a registry of a million, given name, patronymic and
        # birth date coincide for hundreds of strangers, so this must weigh heavily.
        *_number_vouches(present, "surname", 2e-2),
        _else(fixed_m=2e-3),
    ])  # fmt: skip


def _one_side_null(col: str) -> Level:
    return cll.Or(_sql(f"{col}_l IS NULL", "left missing"), _sql(f"{col}_r IS NULL", "right"))


def _initial_agrees(part: str) -> Level:
    return _label(cll.And(_one_side_null(f"{part}_key"), _eq(f"{part}_init")), "initial agrees")


def _given(s: Sql, present: set[str]) -> _Named:
    return _comparison(
        "given_name", "given name: canonical id (forms, diminutives), typo, initial", [
        _null_when("giv_init_l IS NULL OR giv_init_r IS NULL"),
        _label(cll.And(_eq("giv_key"), _eq("giv_tr")), "exact", tf="giv_key"),
        _label(_eq("giv_key"), "same given-name id", tf="giv_key"),
        _label(_swapped(), "swapped with surname", tf="giv_key"),
        _label(_swapped_slip(s), "swapped with surname, with a slip"),
        # A phonetic code alone is too coarse for given names (Mykhailo and Nikolai share
        # one): it counts only beside spellings that are close anyway.
        _label(cll.Or(cll.And(_eq("giv_ph"), _jw("giv_tr", 0.8)), _jw("giv_tr", 0.93)),
               "phonetic or typo"),
        _initial_agrees("giv"),
        _label(cll.Or(_dl("giv_tr", 2), _jw("giv_tr", 0.85)), "weakly similar"),
        # A different given name is decisive between relatives, who share surname,
        # patronymic, birth date (twins) and place — but not a personal document or service
        # number. With such a number agreeing, it is a strong, not a final, contradiction.
        *_number_vouches(present, "given name", 1e-3),
        _else(fixed_m=1e-6),
    ])  # fmt: skip


def _patronymic() -> _Named:
    return _comparison("patronymic", "patronymic: father's name id, typo, initial", [
        _null_when("pat_init_l IS NULL OR pat_init_r IS NULL"),
        _label(_eq("pat_key"), "same father's name", tf="pat_key"),
        _label(_jw("pat_tr", 0.92), "typo"),
        _initial_agrees("pat"),
        _label(cll.Or(_dl("pat_tr", 2), _jw("pat_tr", 0.85)), "weakly similar"),
        _else(fixed_m=1e-3),
    ])  # fmt: skip


def _birth(present: set[str]) -> _Named:
    return _comparison(
        "birth_date", "birth date: full, swapped day/month, partial, typo, year ±1", [
        _null("byr"),
        _label(cll.And(_sql("bdate_l IS NOT NULL", "known"), _eq("bdate")), "exact full date"),
        _label(cll.And(_eq("byr"), _sql("bdy_l IS NOT NULL AND bdy_r IS NOT NULL", "days known"),
                       _rev("bmo", "bdy"), _rev("bdy", "bmo")), "day/month swapped"),
        _label(cll.And(_eq("byr"), cll.Or(
            _one_side_null("bmo"), cll.And(_eq("bmo"), _one_side_null("bdy")))),
            "partial date compatible"),
        _label(cll.And(_sql("bdig_l IS NOT NULL AND bdig_r IS NOT NULL", "digits known"),
                       _dl("bdig", 1)), "one digit differs or two swapped"),
        _label(_eq("byr"), "same year, month or day differ"),
        # A year typed off by one keeps its day and month; a year apart *and* another day and
        # month is another date (namesakes a year apart are common in a large registry).
        _label(cll.And(_sql("abs(byr_l - byr_r) <= 1", "year ±1"),
                       cll.Or(_one_side_null("bmo"), _eq("bmo")),
                       cll.Or(_one_side_null("bdy"), _eq("bdy"))), "year ±1, day and month agree"),
        *_number_vouches(present, "birth date", 2e-2),
        # A generation apart (father and son of one name): no agreeing name outvotes it.
        # Right above "else", so its gamma is ``guards.DECADES_APART_GAMMA``.
        _pinned(_sql("abs(byr_l - byr_r) >= 10", "decades apart"), 1e-5),
        _else(fixed_m=2e-3),
    ])  # fmt: skip


def _number(col: str, name: str, pin: float | None) -> _Named:
    # Numbers issued in sequence (twins' passports) differ by one digit and are close in value:
    # beside wholly different given names that says nothing either way. A digit substituted
    # further from the end is a typing slip.
    sequence = cll.And(
        _lev(col, 1), cll.Not(_eq(col)), cll.Not(_eq("giv_key")), cll.Not(_jw("giv_tr", 0.85)),
        _sql(f"abs({col}_num_l - {col}_num_r) < 100", "close in value"),
    )  # fmt: skip
    return _comparison(name, f"{name}: exact, OCR confusion, one character", [
        _null(col),
        _label(_eq(f"{col}_raw"), "exact"),
        _label(_eq(col), "equal after OCR folding"),
        _pinned(_label(sequence, "one character differs, given names differ"), 0.5, 0.5),
        _label(_dl(col, 1), "one character differs"),
        _else(fixed_m=pin),
    ])  # fmt: skip


def parley_comparisons(dialect: str, present: set[str]) -> Comparisons:
    """The domain model's comparisons (one per identity field) by output name; ``present``
    names the feature columns that have values in every input (a level on an all-empty column
    is left out)."""
    s = Sql(dialect)
    comparisons = [_family(s, present), _given(s, present), _patronymic(), _birth(present),
                   # A service number stays with a person; documents are renewed and people hold
                   # several, so a different document number is left for EM to weigh.
                   _number("sn", "service_number", 2e-3),
                   _number("dn", "document_number", None)]  # fmt: skip
    comparisons += [
        _comparison("sex", "sex (observed, else from the name's form)", [
            _null("sex"), _label(_eq("sex"), "same"), *_sex_from_given_names(present),
            _else(fixed_m=2e-3),
        ]),
        _comparison("military_unit", "military unit", [
            _null("unit"),
            # Hundreds of people serve in one unit; a synthetic registry has more units than a
            # real one, so u is pinned to keep "same unit" from outweighing a contradiction.
            _label(_eq("unit"), "same").configure(u_probability=0.02, fix_u_probability=True),
            _label(_dl("unit", 1), "one character differs"),
            _else(),
        ]),
        _comparison("rank", "rank (canonical)", [_null("rank"), _label(_eq("rank"), "same"),
                                                 _else()]),
        _comparison("birth_place", "birth place (folded to Latin)", [
            _null("bplace"), _label(_jw("bplace", 0.9), "same or close"), _else(),
        ]),
        _capture(present),
        _address(s),
    ]  # fmt: skip
    return {c.name: c for c in comparisons}


def _address(s: Sql) -> _Named:
    """Home or registered address, when sources have one (civilian registries, relatives'
    requests). Relatives share it, so EM weighs it and it never frees a contradiction on the
    given name (see ``pipeline``: such a pair is at most sent to review)."""
    most = (
        f"3 * {s.shared('addr_tok')} >= "
        f"2 * least({s.size('addr_tok', 'l')}, {s.size('addr_tok', 'r')})"
    )
    return _comparison("address", "address: same parts in any order, typo, most parts shared", [
        _null("addr_key"),
        _label(_eq("addr_key"), "same parts"),
        # Jaro-Winkler, not edit distance: addresses are long and edit distance is quadratic.
        _label(cll.Or(_jw("addr_ns", 0.95), _jw("addr_key", 0.95)), "typo or spacing"),
        _label(cll.And(cll.ArrayIntersectLevel("addr_tok", 2), _sql(most, "two thirds")),
               "most parts shared"),
        _else(),
    ])  # fmt: skip


def _sex_from_given_names(present: set[str]) -> list[Level]:
    """A neutral level: the sexes differ, but one was read from a given name alone and the
    given names differ — the given-name comparison has weighed that already (Lara vs Jory is one
    contradiction, not two). Sex read from a patronymic or surname form, or observed, still
    counts; so does a sex difference between gender forms of one given name (Yevhen/Yevheniia)."""
    if "sex_giv" not in present:
        return []
    level = cll.And(_sql("sex_giv_l IS NOT NULL OR sex_giv_r IS NOT NULL", "read from a name"),
                    cll.Not(_eq("giv_key")))  # fmt: skip
    return [_pinned(_label(level, "differs, read from given names that differ"), 0.5, 0.5)]


def _capture(present: set[str]) -> _Named:
    """Capture date window and place. Splink leaves out a comparison whose SQL names an
    all-empty column, so only the columns an input has are named."""
    day, place = "cday" in present, "cplace" in present
    null = " AND ".join(
        f"({c}_l IS NULL OR {c}_r IS NULL)" for c, ok in (("cday", day), ("cplace", place)) if ok
    )
    levels: list[Level] = [_null_when(null or "1 = 1")]
    if day:
        levels.append(_sql("abs(cday_l - cday_r) <= 3", "within 3 days"))
    near: list[Level] = [lv for lv, ok in ((_sql("abs(cday_l - cday_r) <= 45", "45 days"), day),
                                           (_jw("cplace", 0.9), place)) if ok]  # fmt: skip
    if near:
        levels.append(_label(near[0] if len(near) == 1 else cll.Or(*near),
                             "within 45 days or same place"))
    levels.append(_else())
    return _comparison("capture", "capture date window and place", levels)


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
        # Initials only, the year mistyped, the surname exact or with a slip in its first
        # letters: the initial and the day and month of birth.
        block_on("fam_key", "giv_init", "bmd"),
        block_on("fam_tail", "giv_init", "bmd"),
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


def plain_comparisons(dialect: str) -> Comparisons:
    """The baseline: generic Splink comparisons on names folded Cyrillic→Latin."""
    comps: Comparisons = {}
    for col, name in (("fold_fam", "family_name"), ("fold_giv", "given_name")):
        comps[name] = _comparison(name, None, [
            _null(col),
            _label(_eq(col), "exact", tf=col),
            _label(_jw(col, 0.92), "jw 0.92"),
            _label(_jw(col, 0.8), "jw 0.8"),
            _else(),
        ])  # fmt: skip
    comps["birth_date"] = _comparison("birth_date", None, [
        _null("byr"),
        _label(cll.And(_sql("bdate_l IS NOT NULL", "known"), _eq("bdate")), "exact"),
        _label(cll.And(_eq("byr"), _eq("bmo")), "year and month"),
        _label(_eq("byr"), "year"),
        _else(),
    ])  # fmt: skip
    comps["sex"] = _comparison("sex", None, [_null("sex"), _label(_eq("sex"), "same"), _else()])
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
