"""Score a linker's output against the generator's truth files.

    python -m tests.indepgen.evaluate pairs --pairs P.csv --truth truth.csv [--threshold 0.5]
    python -m tests.indepgen.evaluate clusters --clusters C.csv --truth truth.csv
    python -m tests.indepgen.evaluate candidates --candidates C.csv --truth truth.csv
    python -m tests.indepgen.evaluate calibration --pairs P.csv --truth truth.csv
    python -m tests.indepgen.evaluate breakdown --pairs P.csv --truth truth.csv --damage damage.csv
    python -m tests.indepgen.evaluate reconcile --classified C.csv --truth answer_truth.csv

Pairs files: ``left_id,right_id[,match_probability]`` (also ``unique_id_l,unique_id_r`` as
Splink writes them; otherwise the first two columns; pairs are unordered). Truth:
``left_id,right_id`` pairs, or ``record_id,cluster_id`` (dedupe), turned into pairs.
Every command prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

Pair = tuple[str, str]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        r = csv.reader(fh)
        header = next(r, [])
        return header, [row for row in r if row]


_ID_COLUMNS = (("left_id", "right_id"), ("unique_id_l", "unique_id_r"),
               ("record_id_l", "record_id_r"), ("id_l", "id_r"), ("record_id_1", "record_id_2"))


def _id_columns(header: list[str]) -> tuple[int, int]:
    """Where the two record ids are: known names first, else the first two columns."""
    for a, b in _ID_COLUMNS:
        if a in header and b in header:
            return header.index(a), header.index(b)
    return 0, 1


def read_pairs(path: Path) -> Iterator[Pair]:
    """The id pairs of a pairs/candidates CSV, streamed."""
    with path.open(encoding="utf-8", newline="") as fh:
        r = csv.reader(fh)
        i, j = _id_columns(next(r, []))
        for row in r:
            if row:
                yield row[i], row[j]


def read_truth_pairs(path: Path) -> set[Pair]:
    header, rows = _rows(path)
    if len(header) >= 2 and header[0] == "record_id" and header[1] == "cluster_id":
        return _cluster_pairs({row[0]: row[1] for row in rows})
    return {_pair(row[0], row[1]) for row in rows}


def read_scored_pairs(path: Path) -> dict[Pair, float]:
    header, rows = _rows(path)
    col = header.index("match_probability") if "match_probability" in header else -1
    i, j = _id_columns(header)
    out: dict[Pair, float] = {}
    for row in rows:
        p = float(row[col]) if col >= 0 and row[col] != "" else 1.0
        key = _pair(row[i], row[j])
        out[key] = max(p, out.get(key, 0.0))
    return out


def _cluster_pairs(assign: dict[str, str]) -> set[Pair]:
    groups: dict[str, list[str]] = defaultdict(list)
    for rid, cid in assign.items():
        groups[cid].append(rid)
    out: set[Pair] = set()
    for members in groups.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                out.add((a, b))
    return out


def prf(predicted: Iterable[Pair], truth: set[Pair]) -> dict[str, float]:
    pred = set(predicted)
    tp = len(pred & truth)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp,
            "fp": len(pred) - tp, "fn": len(truth) - tp}


def pairwise(pairs: dict[Pair, float], truth: set[Pair], threshold: float = 0.5
             ) -> dict[str, float]:
    """Precision, recall and F1 of the pairs scored at or above ``threshold``."""
    res = prf((k for k, p in pairs.items() if p >= threshold), truth)
    res["threshold"] = threshold
    return res


def clustering(assign: dict[str, str], truth: set[Pair]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of a ``record_id → cluster_id`` clustering, computed by
    counting (clusters of any size); records the clustering omits are singletons."""
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for rid, cid in assign.items():
        by_cluster[cid].append(rid)
    cluster_of = assign
    pred_pairs = sum(len(m) * (len(m) - 1) // 2 for m in by_cluster.values())
    tp = sum(1 for a, b in truth if a in cluster_of and cluster_of.get(b) == cluster_of[a])
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp,
            "fp": pred_pairs - tp, "fn": len(truth) - tp}


def candidate_recall(candidates: Iterable[Pair], truth: set[Pair],
                     n_records: int | None = None) -> dict[str, float]:
    """Share of true pairs among the candidate pairs, and comparisons per record.

    Streams the candidates (millions of rows for the 1,000,000-record registry): each row is
    one comparison; only the true pairs found are kept in memory."""
    found: set[Pair] = set()
    per: Counter[str] = Counter()
    rows = 0
    for a, b in candidates:
        rows += 1
        per[a] += 1
        per[b] += 1
        key = _pair(a, b)
        if key in truth:
            found.add(key)
    n = n_records or len(per)
    return {"candidate_recall": len(found) / len(truth) if truth else 1.0,
            "candidates": rows, "true_pairs": len(truth), "missed": len(truth) - len(found),
            "comparisons_per_record": 2 * rows / n if n else 0.0,
            "max_comparisons_of_a_record": max(per.values(), default=0)}


def calibration(pairs: dict[Pair, float], truth: set[Pair], bins: int = 10
                ) -> dict[str, object]:
    """Expected calibration error over the scored pairs (equal-width probability bins)."""
    count = [0] * bins
    conf = [0.0] * bins
    pos = [0] * bins
    for key, p in pairs.items():
        b = min(bins - 1, max(0, int(p * bins)))
        count[b] += 1
        conf[b] += p
        pos[b] += key in truth
    n = sum(count)
    ece = sum(abs(conf[b] - pos[b]) for b in range(bins)) / n if n else 0.0
    table = [{"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "n": count[b],
              "mean_p": conf[b] / count[b] if count[b] else None,
              "observed": pos[b] / count[b] if count[b] else None} for b in range(bins)]
    return {"ece": ece, "pairs": n, "bins": table}


def by_damage(pairs: dict[Pair, float], truth: set[Pair], damage: dict[str, list[str]],
              threshold: float = 0.5) -> dict[str, dict[str, float]]:
    """Recall of true pairs per damage class (a pair counts for a class if either record
    carries it), and false positives per look-alike relation. ``damage`` maps record ids to
    the classes of ``damage.csv`` (and ``relation:<kind>`` entries)."""
    found = {k for k, p in pairs.items() if p >= threshold}
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for a, b in truth:
        classes = set(damage.get(a, ())) | set(damage.get(b, ()))
        ok = (a, b) in found
        for c in classes:
            total[c] += 1
            hit[c] += ok
    out = {c: {"true_pairs": total[c], "recall": hit[c] / total[c]} for c in sorted(total)}
    fp: Counter[str] = Counter()
    for a, b in found - truth:
        for x in (a, b):
            for c in damage.get(x, ()):
                if c.startswith("relation:"):
                    fp[c] += 1
    for c, n in sorted(fp.items()):
        out[c] = {"false_positives": n}
    return out


def read_damage(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in _read_dicts(path):
        classes = [c for c in r["damage"].split(";") if c]
        if r.get("relation"):
            classes.append("relation:" + r["relation"])
        out[r["record_id"]] = classes
    return out


_CLASS_ALIASES = {
    "on_registry_not_on_list": "registry_not_on_list", "on_our_registry": "registry_not_on_list",
    "registry_not_listed": "registry_not_on_list", "not_on_list": "registry_not_on_list",
    "registry_only": "registry_not_on_list", "confirm": "confirmed", "match": "confirmed",
    "dup": "duplicate", "duplicated": "duplicate", "not_found": "unknown",
}


def normalise_class(text: str) -> str:
    """Lower case, spaces and hyphens as underscores, usual synonyms mapped."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return _CLASS_ALIASES.get(key, key)


DOUBTFUL = frozenset({"doubtful", "review", "uncertain", "ambiguous"})


def reconcile_score(classified: list[dict[str, str]], truth: list[dict[str, str]]
                    ) -> dict[str, float]:
    """Rows classified correctly (and, when given, naming the right list entry), rows left
    doubtful, and precision of ``confirmed``. Rows not classified count as wrong."""
    got = {int(r.get("answer_row") or r["row"]): r for r in classified}
    correct = doubtful = conf_pred = conf_ok = 0
    for t in truth:
        row = int(t["answer_row"])
        g = got.get(row)
        if g is None:
            continue
        cls = normalise_class(g.get("classification") or "")
        ok = cls == t["expected"]
        entry = (g.get("entry_record_id") or "").strip()
        if ok and entry and t["expected"] in ("confirmed", "duplicate"):
            ok = entry == t["entry_record_id"]
        if cls in DOUBTFUL:
            doubtful += 1
        if cls == "confirmed":
            conf_pred += 1
            conf_ok += ok
        correct += ok
    n = len(truth)
    return {"rows": n, "correct": correct / n if n else 1.0,
            "doubtful": doubtful / n if n else 0.0,
            "confirmed_precision": conf_ok / conf_pred if conf_pred else 1.0,
            "confirmed_predicted": conf_pred}


def _read_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.indepgen.evaluate")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("pairs", "calibration"):
        s = sub.add_parser(name)
        s.add_argument("--pairs", type=Path, required=True)
        s.add_argument("--truth", type=Path, required=True)
        s.add_argument("--threshold", type=float, default=0.5)
    s = sub.add_parser("breakdown", help="recall per damage class, false positives per "
                       "kind of look-alike (reads damage.csv)")
    s.add_argument("--pairs", type=Path, required=True)
    s.add_argument("--truth", type=Path, required=True)
    s.add_argument("--damage", type=Path, required=True)
    s.add_argument("--threshold", type=float, default=0.5)
    s = sub.add_parser("clusters")
    s.add_argument("--clusters", type=Path, required=True)
    s.add_argument("--truth", type=Path, required=True)
    s = sub.add_parser("candidates")
    s.add_argument("--candidates", type=Path, required=True)
    s.add_argument("--truth", type=Path, required=True)
    s.add_argument("--records", type=int, default=None, help="records on both sides")
    s = sub.add_parser("reconcile")
    s.add_argument("--classified", type=Path, required=True)
    s.add_argument("--truth", type=Path, required=True)
    a = ap.parse_args(argv)
    res: dict[str, object]
    if a.cmd == "pairs":
        res = dict(pairwise(read_scored_pairs(a.pairs), read_truth_pairs(a.truth), a.threshold))
    elif a.cmd == "breakdown":
        res = dict(by_damage(read_scored_pairs(a.pairs), read_truth_pairs(a.truth),
                             read_damage(a.damage), a.threshold))
    elif a.cmd == "calibration":
        res = calibration(read_scored_pairs(a.pairs), read_truth_pairs(a.truth))
    elif a.cmd == "clusters":
        _header, rows = _rows(a.clusters)
        res = dict(clustering({r[0]: r[1] for r in rows}, read_truth_pairs(a.truth)))
    elif a.cmd == "candidates":
        res = dict(candidate_recall(read_pairs(a.candidates), read_truth_pairs(a.truth),
                                    a.records))
    else:
        res = dict(reconcile_score(_read_dicts(a.classified), _read_dicts(a.truth)))
    sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
