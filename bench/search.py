"""Registry search speed: time to answer a search by name (another script's spelling), birth date
and number over N source records, in the service and through the web API.

    python bench/search.py [--records 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy import insert

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import ImportBatch, Source, SourceRecord
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.domain.policy import ClearedActor
from parley.services import registry
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

FAMILIES = ["Петренко", "Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко",
            "Олійник", "Мельник", "Кузьменко", "Поліщук", "Савченко", "Руденко", "Лисенко"]
GIVEN = ["Іван", "Олександр", "Андрій", "Сергій", "Микола", "Дмитро", "Василь", "Юрій"]


def build(ws: Workspace, records: int, seed: int = 7) -> None:
    from parley.names import normalize_name

    normalize = normalize_name
    rng = random.Random(seed)
    with ws.store.transaction() as tx:
        source = Source(name="bench", agency_code="MOD")
        tx.add(source)
        tx.flush()
        batch = ImportBatch(source_id=source.id, agency_code="MOD", file_name="bench.csv",
                            file_sha256="0" * 64, file_format="csv", actor="bench")
        tx.add(batch)
        tx.flush()
        source_id, batch_id = source.id, batch.id
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    chunk: list[dict[str, object]] = []
    for n in range(records):
        family = rng.choice(FAMILIES) + ("" if n % 3 else str(n % 997))
        given = rng.choice(GIVEN)
        if (family, given) not in keys:
            normal = normalize(family, given, "") if normalize else None
            keys[(family, given)] = ((normal.family_key, normal.given_key) if normal else ("", ""))
        fk, gk = keys[(family, given)]
        chunk.append({
            "source_id": source_id, "batch_id": batch_id, "agency_code": "MOD",
            "file_name": "bench.csv", "line_no": n + 2, "raw": {"n": n}, "raw_text": "",
            "content_hash": f"{n:064d}", "family_name": family, "given_name": given,
            "birth_date": f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-"
                          f"{rng.randint(1, 28):02d}",
            "service_number": f"SN{n:08d}", "family_key": fk, "given_key": gk,
        })
        if len(chunk) == 5000:
            with ws.store.transaction() as tx:
                tx.execute(insert(SourceRecord), chunk)
            chunk = []
    if chunk:
        with ws.store.transaction() as tx:
            tx.execute(insert(SourceRecord), chunk)


def timed(fn: object, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="parley-bench-search-"))
    settings = Settings(database_url=args.database_url or f"sqlite:///{folder}/bench.db",
                        data_dir=folder, secret_key="bench")
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    start = time.perf_counter()
    build(ws, args.records)
    print(f"{args.records:,} records loaded in {time.perf_counter() - start:.1f} s "
          f"({ws.store.dialect})")
    analyst = ClearedActor(username="bench", role=Role.ANALYST, agency="MOD", clearance="secret")
    cases = {
        "name, Latin spelling of a Cyrillic record ('Petrenko Ivan')":
            {"name": "Petrenko Ivan", "limit": 50},
        "name + birth year ('Shevchenko', 1990)": {"name": "Shevchenko", "birth_date": "1990"},
        "service number, typed with a dash ('SN-00012345')": {"number": "SN-00012345"},
        "exact service number ('SN00012345')": {"number": "SN00012345"},
        "birth date only ('1975-03-14')": {"birth_date": "1975-03-14"},
    }
    for label, criteria in cases.items():
        found = registry.search_registry(ws, actor=analyst, **criteria)  # type: ignore[arg-type]
        ms = timed(lambda c=criteria: registry.search_registry(ws, actor=analyst, **c))
        print(f"  {label}: {ms:.1f} ms median, {len(found.rows)} shown")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from parley.interfaces.web.app import create_app
    from parley.services import accounts

    user = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="bench",
                                password="bench password 1", role=Role.ANALYST, agency="MOD")
    token = accounts.create_api_token(ws, actor=user, name="bench",
                                      scopes=accounts.parse_scopes("read")).token
    client = TestClient(create_app(ws))
    headers = {"Authorization": f"Bearer {token}"}
    ms = timed(lambda: client.get("/api/search", params={"name": "Petrenko Ivan"},
                                  headers=headers))
    print(f"  GET /api/search?name=Petrenko Ivan through the app (in process): {ms:.1f} ms median")


if __name__ == "__main__":
    main()
