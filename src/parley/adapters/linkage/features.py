"""Canonical-schema frames → the feature columns the Splink model compares.

Everything costly (name normalisation, date parsing, number folding) happens here, in Python, once
per *distinct* value, so the SQL the engines run is mostly equality tests on short strings — fast
on DuckDB and identical on Spark. Missing values become NULL (Splink's null level), never "".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from datetime import date

import numpy as np
import pandas as pd

from parley.adapters.linkage._names import (
    PartKeys,
    clean_field,
    fold_alnum,
    is_given_name,
    part_keys,
    simple_fold,
    split_full_name,
)
from parley.adapters.linkage.blocking_keys import (
    confusion_key,
    date_unordered,
    month_day,
    place_given_patronymic,
    tail_key,
)
from parley.adapters.linkage.name_fields import RunTogether, extra_names
from parley.domain.coded import map_sex
from parley.domain.dates import PartialDate, parse_partial_date, word_date

FEATURE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "fam_key", "fam_tr", "fam_ph", "fam_k1", "giv_key", "giv_tr", "giv_ph", "giv_init",
    "pat_key", "pat_tr", "pat_init", "sw_fam_key", "sw_giv_key",
    "sex", "sex_giv",
    "byr", "bmo", "bdy", "bdate", "bym", "bdig",
    "sn", "sn_raw", "sn_num", "dn", "dn_raw", "dn_num",
    "unit", "rank", "bplace", "cday", "cplace", "addr_key", "addr_ns", "addr_tok",
    "addr_blk", "fam_ocr", "fam_tail", "bdate_dm", "bmd",
    "fold_fam", "fold_giv", "fold_pat",
)  # fmt: skip

# Characters an OCR engine or a tired typist confuses, folded to one representative; Cyrillic
# letters that look Latin are folded first (passport series КА vs KA).
_CYR_LOOKALIKE = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")
_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "S": "5",
                      "B": "8", "Z": "2", "G": "6", "T": "7"})  # fmt: skip
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_UNIT_PREFIX = re.compile(r"^(?:V/?CH|B/?Ч|В/?Ч|MU|UNIT|A/?A|ВЧ|ВЧ)", re.IGNORECASE)


_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_ISO_ANY = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?:[./-](\d{1,2})[./-](\d{1,2})|(\d\d)(\d\d))(?!\d)"
)
_DMY_ANY = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)(?!\d)")
# "08.01.92": a two-digit year, common in hand-typed lists. Years up to the pivot are read as
# 20xx (people of fighting age in the 2020s were born up to about 2010), later ones as 19xx.
_DMY_SHORT = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d\d)\s*$")
_SHORT_YEAR_PIVOT = 10


def _short_date(value: str) -> tuple[str, str, str] | None:
    """(year, month, day) as written, the year widened to four digits, of "dd.mm.yy"."""
    if not (m := _DMY_SHORT.match(value)):
        return None
    day, month, yy = m.groups()
    century = 2000 if int(yy) <= _SHORT_YEAR_PIVOT else 1900
    return str(century + int(yy)), month, day


def date_digits(value: str) -> str | None:
    """A full date's digits as written, year-month-day (``19403407`` for ``1940-34-07``).

    A slip of the keyboard swaps neighbouring digits across the parts of a date, which leaves
    no valid date to compare; its digits still differ from the right date's by one swap.
    """
    if m := _ISO_ANY.search(value):
        year, month, day = (g for g in m.groups() if g is not None)
    elif m := _DMY_ANY.search(value):
        day, month, year = m.groups()
    elif short := _short_date(value):
        year, month, day = short
    elif (worded := word_date(value)) and worded.day is not None:
        return f"{worded.year:04d}{worded.month:02d}{worded.day:02d}"
    else:
        return None
    return f"{year}{int(month):02d}{int(day):02d}"


def number_keys(value: str) -> tuple[str | None, str | None]:
    """(as written, OCR-folded) forms of a service or document number, upper-case alphanumeric."""
    text = _NOT_ALNUM.sub("", value.upper().translate(_CYR_LOOKALIKE))
    if not text:
        return None, None
    return text, text.translate(_OCR)


_TRAILING_DIGITS = re.compile(r"(\d{1,15})$")


def serial_value(number: str) -> int | None:
    """The number's trailing digits as an integer: numbers issued in one batch (twins' passports,
    a unit's service numbers) are close in value, while a typing slip changes a digit anywhere."""
    m = _TRAILING_DIGITS.search(number)
    return int(m.group(1)) if m else None


def unit_key(value: str) -> str | None:
    """Military unit as its alphanumeric core: 'в/ч А1234' and 'A-1234' → 'A1234'."""
    text = _NOT_ALNUM.sub("", value.upper().translate(_CYR_LOOKALIKE))
    text = _UNIT_PREFIX.sub("", text) if len(text) > 5 else text
    return text.translate(_OCR) or None


# Words that say what kind of place a token is, not which place: street types, "flat", "house",
# "city", "region" in English and in Ukrainian and Russian (as romanised by ``fold_alnum``).
_ADDRESS_NOISE = frozenset(
    (
        "street", "st", "str", "road", "rd", "avenue", "ave", "av", "lane", "ln", "place",
        "pl", "crescent", "cres", "circuit", "cct", "court", "ct", "drive", "dr", "close",
        "cl", "way", "parade", "pde", "terrace", "tce", "highway", "hwy", "boulevard",
        "blvd", "square", "sq", "apartment", "apt", "flat", "unit", "house", "no", "number",
        "city", "town", "village", "district", "region", "province", "vul", "vulytsia",
        "vulitsa", "ul", "ulytsia", "ulitsa", "ulica", "prosp", "prospekt", "pr",
        "provulok", "prov", "pereulok", "per", "bulvar", "bul", "ploshcha", "ploshchad",
        "naberezhna", "naberezhnaia", "shose", "shosse", "kv", "kvartyra", "kvartira",
        "bud", "budynok", "dom", "d", "korp", "korpus", "m", "misto", "g", "gorod", "hor",
        "s", "selo", "smt", "sel", "obl", "oblast", "rn", "raion",
    )
)  # fmt: skip


def address_keys(value: str) -> tuple[str | None, str | None, tuple[str, ...] | None]:
    """(sorted distinct tokens, tokens run together in order, the token set) of an address.

    The same address is written with its parts in another order (city first or last), with or
    without street-type words, abbreviated, in another script, with spaces lost or added: the
    sorted token key survives reordering, the run-together key survives split or joined words,
    and the token set lets a comparison count shared parts when one side omits some.
    """
    tokens = [t for t in fold_alnum(value).split() if t not in _ADDRESS_NOISE]
    if not tokens:
        return None, None, None
    distinct = tuple(sorted(set(tokens)))
    return " ".join(distinct), "".join(tokens), distinct


def _date_parts(value: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day). What cannot be a date keeps what it can: '1938-11-31' its year and
    month, '17 травня 1990' or 'May 17, 1990' all three, free text such as 'approximately 1990'
    or 'около 1990 г.' its year (relatives' requests are written that way)."""
    if not value:
        return None, None, None
    try:
        parsed = parse_partial_date(value)
    except ValueError:
        parsed = None
        if m := _ISO_ANY.search(value):
            year, month, day = (int(g) for g in m.groups() if g is not None)
            try:
                parsed = PartialDate(year, month, day)
            except ValueError:
                try:
                    parsed = PartialDate(year, month)
                except ValueError:
                    parsed = PartialDate(year)
        elif short := _short_date(value):
            year, month, day = (int(g) for g in short)
            try:
                parsed = PartialDate(year, month, day)
            except ValueError:
                parsed = PartialDate(year)
        elif worded := word_date(value):
            parsed = worded
        elif y := _YEAR.search(value):
            parsed = PartialDate(int(y.group(1)))
    if parsed is None:
        return None, None, None
    return parsed.year, parsed.month, parsed.day


def _day_number(value: str) -> int | None:
    year, month, day = _date_parts(value)
    if year is None:
        return None
    return date(year, month or 7, day or 1).toordinal()


def _sex(value: str) -> str:
    if not value:
        return ""
    try:
        return str(map_sex(value))
    except ValueError:
        return ""


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].fillna("").astype(str).str.strip()
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


def _map_distinct(series: pd.Series, fn: Callable[[str], Hashable]) -> pd.Series:
    """Apply ``fn`` once per distinct value (the main reason preparation is fast)."""
    uniques = series.unique()
    table = {u: fn(u) for u in uniques}
    return series.map(table)


def _part_columns(series: pd.Series, fn: Callable[[str], PartKeys]) -> dict[str, pd.Series]:
    """``key, translit, phonetic, sex_hint`` columns from one call of ``fn`` per distinct value."""
    codes, uniques = pd.factorize(series)
    table = [fn(str(u)) for u in uniques]
    out: dict[str, pd.Series] = {}
    for attr in ("key", "translit", "phonetic", "sex_hint"):
        values = np.array([getattr(t, attr) for t in table] + [""], dtype=object)
        out[attr] = pd.Series(values[codes], index=series.index, dtype=object)
    return out


def add_swap_keys(feats: list[pd.DataFrame]) -> None:
    """Keys for swapped name order: the surname column read as a given name and vice versa.

    Rather than normalising every surname a second time as a given name (the costliest step on a
    large registry), a romanised surname is looked up among the given names seen in any input,
    and a romanised given name among the surnames: a swapped record's parts are spelled like
    the same parts elsewhere.
    """
    giv_by_tr: dict[str, str] = {}
    fam_by_tr: dict[str, str] = {}
    for f in feats:
        g = f[["giv_tr", "giv_key"]].dropna().drop_duplicates("giv_tr")
        giv_by_tr.update(zip(g["giv_tr"], g["giv_key"], strict=True))
        h = f[["fam_tr", "fam_key"]].dropna().drop_duplicates("fam_tr")
        fam_by_tr.update(zip(h["fam_tr"], h["fam_key"], strict=True))
    # A swapped part with a typo is spelled like nothing else: read it as the other part, and
    # keep the key only when it is a key some record has (a given-name id, a surname key).
    giv_keys = set(giv_by_tr.values())
    fam_keys = set(fam_by_tr.values())
    for f in feats:
        f["sw_giv_key"] = _swap_lookup(f["fam_tr"], giv_by_tr, "given", giv_keys)
        f["sw_fam_key"] = _swap_lookup(f["giv_tr"], fam_by_tr, "family", fam_keys)


def _swap_lookup(translit: pd.Series, known: dict[str, str], part: str,
                 keys: set[str]) -> pd.Series:
    found = translit.map(known)
    missing = found.isna() & translit.notna()
    if missing.any():
        def read(value: str) -> str | None:
            key = part_keys(part, value).key
            return key if key in keys else None

        found = found.mask(missing, _map_distinct(translit[missing], read))
    return found.where(found.notna(), None)


# One name's initial in its Russian and Ukrainian forms: А./О. (Александр, Олександр), Г. read
# as G or H (Григорий, Григорій), Е./Є. (Евгений, Євген).
_INITIAL_FOLD = {"o": "a", "h": "g"}


def initial_key(translit: str) -> str:
    """The initial a name part is compared by, folded across its Russian and Ukrainian forms."""
    if translit.startswith("ye"):
        return "e"
    first = translit[:1]
    return _INITIAL_FOLD.get(first, first)


def _placed(fields: str) -> tuple[str, str]:
    """``place_given_patronymic`` of "given\x1fpatronymic" ("" for a row left as it is)."""
    given, _, patronymic = fields.partition("\x1f")
    return place_given_patronymic(given, patronymic)


def _hyphen_joined(value: str) -> tuple[str, str]:
    """(family, given) of "Олександр-Шевченко" / "ВАСИЛИЙ-ДОРОШЕНКО"; ("", "") for a double
    surname ("Kovalov-Petrenko"), whose halves are no given name."""
    if not value:
        return "", ""
    halves = value.split("-")
    if len(halves) != 2 or not all(h.strip() for h in halves):
        return "", ""
    first, second = (h.strip() for h in halves)
    if is_given_name(first) and not is_given_name(second):
        return second, first
    if is_given_name(second) and not is_given_name(first):
        return first, second
    return "", ""


def _extra_names(fields: str) -> tuple[str, str, str]:
    family, given, patronymic = ([*fields.split("\x1f"), "", ""])[:3]
    return extra_names(family, given, patronymic)


def surnames_of(frames: list[pd.DataFrame]) -> RunTogether:
    """The surnames of records that have a given name of their own, across every input: what a
    name run together in another record may be split against."""
    seen: set[str] = set()
    for frame in frames:
        fam, giv = _col(frame, "family_name"), _col(frame, "given_name")
        seen.update(_map_distinct(fam[giv != ""], clean_field).unique())
    return RunTogether(seen)


def prepare(frame: pd.DataFrame, run_together: RunTogether | None = None) -> pd.DataFrame:
    """Feature frame for one input (canonical schema, string values, record_id unique);
    ``run_together`` (``surnames_of`` every input) splits names run together."""
    if "record_id" not in frame.columns:
        raise KeyError("record_id")
    fam = _col(frame, "family_name")
    giv = _col(frame, "given_name")
    pat = _col(frame, "patronymic")
    full = _col(frame, "full_name")
    # Ranks, titles, run-together words and digits for letters are not the name.
    fam, giv, pat, full = (_map_distinct(c, clean_field) for c in (fam, giv, pat, full))
    # A whole name in one column (or in the surname column alone) is split into its parts.
    # A patronymic in its own column does not stop the surname column from holding the given
    # name too ("StepanTITOV" | "" | "Fedorovich"): the patronymic column is kept then.
    whole = full.where((fam == "") & (giv == "") & (full != ""), "")
    lone = fam.where((giv == "") & (full == "") & fam.str.contains(" "), "")
    whole = whole.where(whole != "", lone)
    if (whole != "").any():
        parts = _map_distinct(whole, split_full_name)
        mask = whole != ""
        fam = fam.mask(mask, parts.str[0])
        giv = giv.mask(mask, parts.str[1])
        pat = pat.mask(mask & (pat == ""), parts.str[2])
    plain_fam, plain_giv, plain_pat = fam, giv, pat  # the plain baseline reads no further
    # "БОРИСКОМАРОВ": a given name and a surname of the inputs run together, no case between.
    lone_word = (giv == "") & (fam.str.len() >= 7) & ~fam.str.contains(" ", regex=False)
    if run_together is not None and lone_word.any():
        run = _map_distinct(fam.where(lone_word, ""), run_together.split)
        split_ok = lone_word & (run.str[1] != "")
        fam = fam.mask(split_ok, run.str[0])
        giv = giv.mask(split_ok, run.str[1])
    # A given name joined to the surname by a hyphen ("Олександр-Шевченко"), the given-name
    # column empty: read as a whole name when one half is a given name.
    joined = (giv == "") & fam.str.contains("-", regex=False)
    if joined.any():
        halves = _map_distinct(fam.where(joined, ""), _hyphen_joined)
        split_ok = joined & (halves.str[1] != "")
        fam = fam.mask(split_ok, halves.str[0])
        giv = giv.mask(split_ok, halves.str[1])
    # A given name and patronymic typed together in the given-name field ("Дмитрий Юрьевич"),
    # the two fields swapped, or a patronymic alone in the given-name field.
    slipped = (giv != "") & (giv.str.contains(" ") | giv.str.contains(".", regex=False)
                             | (giv.str.len() > 5))  # fmt: skip
    if slipped.any():
        both_fields = (giv + "\x1f" + pat).where(slipped, "")
        placed = _map_distinct(both_fields, _placed)
        giv = giv.mask(slipped, placed.str[0])
        pat = pat.mask(slipped, placed.str[1])

    several = (fam.str.contains(" ", regex=False) | giv.str.contains(" ", regex=False)
               | (fam.str.replace(".", "", regex=False).str.len() == 1)
               | (giv.str.replace(".", "", regex=False).str.len() == 1))
    if several.any():
        fields = _map_distinct((fam + "\x1f" + giv + "\x1f" + pat).where(several, ""),
                               _extra_names)
        fam, giv, pat = (c.mask(several, fields.str[i]) for i, c in enumerate((fam, giv, pat)))

    out = pd.DataFrame(index=frame.index)
    out["unique_id"] = frame["record_id"].astype(str)
    # Case carries no identity (CAPS surnames are a habit of forms): folding it first means far
    # fewer distinct values to normalise on a large registry.
    fam_lc, giv_lc, pat_lc = fam.str.lower(), giv.str.lower(), pat.str.lower()
    fk = _part_columns(fam_lc, lambda v: part_keys("family", v))
    pk = _part_columns(pat_lc, lambda v: part_keys("patronymic", v))
    observed_sex = _map_distinct(_col(frame, "sex"), _sex)
    context = observed_sex.where(observed_sex != "", pk["sex_hint"])
    context = context.where(context != "", fk["sex_hint"])
    gk = _part_columns(giv_lc + "\x1f" + context, lambda v: part_keys("given", *v.split("\x1f")))
    out["fam_key"] = fk["key"]
    out["fam_tr"] = fk["translit"]
    out["fam_ph"] = fk["phonetic"]
    out["fam_k1"] = out["fam_key"].str[:1]
    out["fam_ocr"] = _map_distinct(out["fam_key"].fillna(""), confusion_key)
    out["fam_tail"] = _map_distinct(out["fam_key"].fillna(""), tail_key)
    out["giv_key"] = gk["key"]
    out["giv_tr"] = gk["translit"]
    out["giv_ph"] = gk["phonetic"]
    out["pat_key"] = pk["key"]
    out["pat_tr"] = pk["translit"]
    out["sw_fam_key"] = ""  # filled by add_swap_keys once every input is prepared
    out["sw_giv_key"] = ""
    # An initial ("O." or "O") is kept apart: it is compatible with any name with that letter.
    out["giv_init"] = _map_distinct(out["giv_tr"].fillna(""), initial_key)
    out["pat_init"] = _map_distinct(out["pat_tr"].fillna(""), initial_key)
    short_giv = giv.str.replace(".", "", regex=False).str.strip().str.len() <= 1
    short_pat = pat.str.replace(".", "", regex=False).str.strip().str.len() <= 1
    for col in ("giv_key", "giv_tr", "giv_ph"):
        out[col] = out[col].mask(short_giv, "")
    for col in ("pat_key", "pat_tr"):
        out[col] = out[col].mask(short_pat, "")

    hint = gk["sex_hint"]
    out["sex"] = context.where(context != "", hint)
    # "g" where the sex is read from the given name alone: then a sex disagreement is the given
    # names' disagreement over again, and the model must not count it twice.
    out["sex_giv"] = pd.Series("g", index=out.index).where((context == "") & (hint != ""), "")

    dates = _map_distinct(_col(frame, "birth_date"), _date_parts)
    out["byr"] = pd.array([d[0] for d in dates], dtype="Int64")
    out["bmo"] = pd.array([d[1] for d in dates], dtype="Int64")
    out["bdy"] = pd.array([d[2] for d in dates], dtype="Int64")
    full_date = [
        f"{y:04d}-{m:02d}-{d:02d}" if d is not None and m is not None and y is not None else ""
        for y, m, d in dates
    ]
    out["bdate"] = full_date
    out["bdate_dm"] = [date_unordered(*d) for d in dates]
    out["bmd"] = [month_day(d[1], d[2]) for d in dates]
    out["bdig"] = _map_distinct(_col(frame, "birth_date"), date_digits)
    out["bym"] = [
        f"{y:04d}-{m:02d}" if y is not None and m is not None else "" for y, m, _ in dates
    ]

    for src, raw_col, fold_col in (
        ("service_number", "sn_raw", "sn"),
        ("document_number", "dn_raw", "dn"),
    ):
        keys = _map_distinct(_col(frame, src), number_keys)
        out[raw_col] = keys.str[0]
        out[fold_col] = keys.str[1]
        out[f"{fold_col}_num"] = pd.array(
            list(_map_distinct(out[raw_col].fillna(""), serial_value)), dtype="Int64"
        )

    out["unit"] = _map_distinct(_col(frame, "military_unit"), unit_key)
    out["rank"] = _col(frame, "rank").str.lower()
    out["bplace"] = _map_distinct(_col(frame, "birth_place"), simple_fold)
    out["cday"] = pd.array(
        list(_map_distinct(_col(frame, "capture_date"), _day_number)), dtype="Int64"
    )
    out["cplace"] = _map_distinct(_col(frame, "capture_place"), simple_fold)
    addresses = _map_distinct(_col(frame, "address"), address_keys)
    out["addr_key"] = addresses.str[0]
    out["addr_ns"] = addresses.str[1]
    out["addr_tok"] = pd.Series([list(t) if t else None for t in addresses.str[2]],
                                index=out.index, dtype=object)
    # A blocking key only for a specific address (a street and a number, say): "Kharkiv" alone
    # is shared by a whole city and would make a block of millions.
    specific = pd.Series([bool(t) and len(t) >= 3 for t in addresses.str[2]], index=out.index)
    out["addr_blk"] = out["addr_key"].where(specific)
    out["fold_fam"] = _map_distinct(plain_fam, simple_fold)
    out["fold_giv"] = _map_distinct(plain_giv, simple_fold)
    out["fold_pat"] = _map_distinct(plain_pat, simple_fold)

    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].where(out[col].notna() & (out[col] != ""), None)
    return out.reset_index(drop=True)
