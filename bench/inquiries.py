"""Benchmark inquiry-to-person linking on independently generated inquiries.

For each seed, ``python -m tests.indepgen inquiries`` writes a registry and relatives' inquiries
(diminutives, Russian forms, Latin, birth year only, numbers missing; 75 % of sought persons in
the registry, a look-alike in it for part of the others). The registry is ingested into a fresh
SQLite workspace and resolved; the inquiries are imported and ``parley inquiries match`` links
them. A link is right when the linked person holds a registry record of the sought person
(the generator's ``person_id``, read from ``damage.csv`` for scoring only). Recall is given over
every inquiry whose person is in the registry file, and over those whose truth record ingest
imported (``recall_reachable``: ingest quarantines some registry rows).

Seeds 0–99 are evaluation seeds: measure on them, never tune on them.

    python bench/inquiries.py --seeds 0 1 2 --size small
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from parley.adapters.sql.family_tables import Inquiry, InquiryCandidate
from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import SourceRecord
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR
from parley.services.ingest import ingest_file
from parley.services.inquiries import import_inquiries
from parley.services.inquiry_links import match_inquiries
from parley.services.resolution import resolve_identities
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_seed(seed: int, size: str, root: Path) -> dict[str, float]:
    data = root / f"seed{seed}"
    subprocess.run([sys.executable, "-m", "tests.indepgen", "inquiries", "--size", size,
                    "--seed", str(seed), "--out", str(data)], check=True,
                   capture_output=True)
    settings = Settings(database_url=f"sqlite:///{data / 'parley.db'}", data_dir=data / "d",
                        secret_key="bench")
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    started = time.monotonic()
    ingest_file(ws, actor=LOCAL_OPERATOR, path=data / "registry.csv", source="registry",
                agency="MOD", reliability="B2")
    resolve_identities(ws, actor=LOCAL_OPERATOR)
    prepared = time.monotonic()
    imported = import_inquiries(ws, actor=LOCAL_OPERATOR, path=data / "inquiries.csv",
                                channel="hotline")
    report = match_inquiries(ws, actor=LOCAL_OPERATOR)
    matched = time.monotonic()

    gen_person = {r["record_id"]: r["person_id"] for r in _read(data / "damage.csv")}
    truth = {r["inquiry_id"]: r["record_id"] for r in _read(data / "inquiry_truth.csv")}
    with ws.store.reading() as tx:
        key_of = dict(tx.execute(select(SourceRecord.id, SourceRecord.record_key)).all())
        records_of: dict[int, set[str]] = {}
        for rid, pid in tx.execute(select(SourceRecord.id, SourceRecord.person_id)):
            if pid is not None:
                records_of.setdefault(int(pid), set()).add(str(key_of[rid]))
        rows = list(tx.scalars(select(Inquiry)))
        review = {int(c.inquiry_id) for c in tx.scalars(
            select(InquiryCandidate).where(InquiryCandidate.state == "pending"))}
    imported_keys = {str(k) for k in key_of.values()}
    links = right = sought_present = reachable = found_in_review = 0
    for row in rows:
        want = truth.get(row.inquiry_key, "")
        if want:
            sought_present += 1
            reachable += want in imported_keys
        if row.person_id is None:
            found_in_review += bool(want) and row.id in review
            continue
        links += 1
        linked_people = {gen_person.get(k) for k in records_of.get(int(row.person_id), set())}
        right += bool(want) and gen_person.get(want) in linked_people
    ws.store.engine.dispose()
    return {
        "seed": seed, "inquiries": len(rows), "quarantined": imported.quarantined,
        "in_registry": sought_present, "linked": report.linked, "review": report.review,
        "unmatched": report.unmatched, "right": right,
        "precision": right / links if links else 1.0,
        "recall": right / sought_present if sought_present else 1.0,
        "reachable": reachable, "recall_reachable": right / reachable if reachable else 1.0,
        "registry_imported": len(key_of),
        "review_holding_truth": found_in_review,
        "prepare_s": round(prepared - started, 1), "match_s": round(matched - prepared, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--size", default="small")
    args = parser.parse_args()
    if any(not 0 <= s <= 99 for s in args.seeds):
        parser.error("measure on evaluation seeds 0-99 only")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            result = run_seed(seed, args.size, Path(tmp))
            results.append(result)
            print(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in result.items()), flush=True)
    links = sum(r["linked"] for r in results)
    right = sum(r["right"] for r in results)
    present = sum(r["in_registry"] for r in results)
    print(f"TOTAL seeds={len(results)} inquiries={sum(r['inquiries'] for r in results)} "
          f"linked={links} right={right} precision={right / max(links, 1):.4f} "
          f"recall={right / max(present, 1):.4f} "
          f"recall_of_imported={right / max(sum(r['reachable'] for r in results), 1):.4f} "
          f"review={sum(r['review'] for r in results)}")


if __name__ == "__main__":
    main()
