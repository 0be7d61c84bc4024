"""One-shot matching of files (``parley match``): read, link or dedupe, write.

No workspace and no audit: nothing is stored, the output file is the whole result. Only identity
fields matter here, so trouble in other fields (an unknown rank word, an unreadable capture date)
is a warning and the record stays in; what makes linkage meaningless (no ``record_id``, an empty
or repeated id, no name column at all) is an error naming the file, the line and the field.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parley.adapters.files.csv_reader import SAMPLE_BYTES, detect_encoding, sniff_delimiter
from parley.adapters.files.headers import address_part_headers, compose_address, map_header
from parley.adapters.linkage import LinkageResult, dedupe, link
from parley.domain.coded import map_sex
from parley.domain.dates import parse_partial_date
from parley.domain.records import ADDRESS_FIELD, CANONICAL_FIELDS, FULL_NAME_FIELD
from parley.errors import N_, RecordError, UnreadableFile

Progress = Callable[[str, float], None]
_NAME_COLUMNS = ("family_name", "given_name", "patronymic", FULL_NAME_FIELD)
_MAX_WARNINGS = 1000
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


@dataclass
class LoadedFile:
    """A canonical frame read from a file, and what was wrong but not fatal."""

    path: Path
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


@dataclass
class MatchReport:
    """What a one-shot match produced."""

    output: Path
    rows_written: int
    records: list[int]
    warnings: list[str]
    stats: dict[str, object]


def read_canonical_csv(path: Path) -> LoadedFile:
    """A CSV in the canonical schema (English, Ukrainian or Russian headers), as strings."""
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: cannot be read (%(strerror)s)"),
            path=path, strerror=err.strerror,
        ) from None
    encoding = detect_encoding(path, sample)
    text = codecs.decode(sample, encoding, errors="ignore")
    delimiter = sniff_delimiter(text.splitlines()[:50])
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, sep=delimiter,
            engine="c", on_bad_lines="error",
        )  # fmt: skip
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise UnreadableFile(
            N_("%(path)s: cannot be read as CSV (%(err)s)"),
            path=path, err=err,
        ) from None
    renames: dict[str, str] = {}
    for column in frame.columns:
        target = map_header(str(column))
        if target and target not in renames.values():
            renames[str(column)] = target
    frame = frame.rename(columns=renames)
    kept = set(renames.values())
    parts = address_part_headers(c for c in frame.columns if c not in kept)
    if parts and ADDRESS_FIELD not in frame.columns:
        frame[ADDRESS_FIELD] = [compose_address(row) for row in frame[parts].itertuples(False)]
    if "record_id" not in frame.columns:
        raise RecordError(path, 1, "record_id", "the header has no record_id column")
    if not any(c in frame.columns for c in _NAME_COLUMNS):
        raise RecordError(path, 1, "family_name", "the header has no name column")
    for column in (*CANONICAL_FIELDS, FULL_NAME_FIELD, ADDRESS_FIELD):
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = frame[column].astype(str).str.strip()
    ids = frame["record_id"]
    empty = ids == ""
    if empty.any():
        raise RecordError(path, _line(empty), "record_id", "empty")
    dup = ids.duplicated()
    if dup.any():
        raise RecordError(
            path, _line(dup), "record_id", f"'{ids[dup].iloc[0]}' appears more than once"
        )
    warnings = _warnings(path, frame)
    return LoadedFile(path=path, frame=frame, warnings=warnings)


def _line(mask: pd.Series) -> int:
    """File line of the first True in ``mask`` (line 1 is the header)."""
    return int(mask.to_numpy().nonzero()[0][0]) + 2


def _bad_values(series: pd.Series, check: Callable[[str], bool]) -> pd.Series:
    uniques = series[series != ""].unique()
    bad = {u for u in uniques if not check(u)}
    return series.isin(bad)


def _is_date(value: str) -> bool:
    try:
        parse_partial_date(value)
    except ValueError:
        return False
    return True


def _is_sex(value: str) -> bool:
    try:
        map_sex(value)
    except ValueError:
        return False
    return True


def _warnings(path: Path, frame: pd.DataFrame) -> list[str]:
    """Per line and field: values the model cannot use (the record is kept regardless)."""
    out: list[str] = []
    no_name = (frame[list(_NAME_COLUMNS)] == "").all(axis=1)
    checks: list[tuple[str, pd.Series, str]] = [
        ("family_name", no_name, "no name part; matched on other fields only"),
        ("birth_date", _bad_values(frame["birth_date"], _is_date), "not a date; "),
        ("sex", _bad_values(frame["sex"], _is_sex), "unknown sex word; ignored"),
        ("capture_date", _bad_values(frame["capture_date"], _is_date), "not a date; ignored"),
    ]
    for name, mask, reason in checks:
        for pos in mask.to_numpy().nonzero()[0][:_MAX_WARNINGS]:
            value = str(frame[name].iat[pos]) if name in frame.columns else ""
            why = reason
            if name == "birth_date":
                year = _YEAR.search(value)
                why += f"year {year.group(1)} used" if year else "ignored"
            out.append(f"{path}: line {pos + 2}: field {name}: '{value}': {why}")
    return out


def match_files(
    left: Path,
    right: Path,
    output: Path,
    *,
    threshold: float = 0.5,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> MatchReport:
    """Link two canonical CSV files; write ``left_id,right_id,match_probability``."""
    a = read_canonical_csv(left)
    b = read_canonical_csv(right)
    result = link(a.frame, b.frame, threshold=threshold, engine=engine, progress=progress)
    rows = write_pairs(result, output)
    return MatchReport(output, rows, [len(a.frame), len(b.frame)], a.warnings + b.warnings,
                       result.stats)  # fmt: skip


def dedupe_file(
    path: Path,
    output: Path,
    *,
    threshold: float = 0.5,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> MatchReport:
    """Cluster one file's records into persons; write ``record_id,cluster_id``."""
    loaded = read_canonical_csv(path)
    result = dedupe(loaded.frame, threshold=threshold, engine=engine, progress=progress)
    assert result.clusters is not None
    _write_csv(result.clusters[["record_id", "cluster_id"]], output)
    return MatchReport(output, len(result.clusters), [len(loaded.frame)], loaded.warnings,
                       result.stats)  # fmt: skip


def write_pairs(result: LinkageResult, output: Path) -> int:
    frame = result.pairs[["left_id", "right_id", "match_probability"]].copy()
    frame["match_probability"] = frame["match_probability"].round(6)
    _write_csv(frame, output)
    return len(frame)


def _write_csv(frame: pd.DataFrame, output: Path) -> None:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(output, index=False, encoding="utf-8")
    except OSError as err:
        raise UnreadableFile(
            N_("%(output)s: cannot be written (%(strerror)s)"),
            output=output, strerror=err.strerror,
        ) from None
