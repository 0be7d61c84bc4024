"""``parley resolve``, ``review``, ``conflicts`` and ``persons`` on files from ``parley synth``,
ingested with ``ingest_file`` (the workspace flow end to end)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func, select

from parley.adapters.sql.identity_tables import IdentityConflict
from parley.adapters.sql.tables import Person, SourceRecord
from parley.domain.actors import Actor, Role
from parley.services.ingest import ingest_file
from parley.services.workspace import Workspace
from tests.conftest import Cli


def _ingest_synth(ws: Workspace, operator: Actor, cli: Cli, out: Path) -> None:
    made = cli("synth", "--people", "40", "--out", str(out), "--seed", "7")
    assert made.returncode == 0, made.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["files"]:
        ingest_file(ws, actor=operator, path=out / f["file"], source=f["source"],
                    agency=f["agency"], reliability=f["reliability"],
                    classification=f["classification"])


def test_resolve_review_conflicts_persons_end_to_end(
    ws: Workspace, operator: Actor, cli: Cli, tmp_path: Path
) -> None:
    # an intelligence analyst cleared top secret reads every source (an HQ admin would not
    # see the intelligence reports that verify some persons)
    cli.as_user("diu-analyst", Role.ANALYST, "DIU", "top_secret")
    _ingest_synth(ws, operator, cli, tmp_path / "synth")
    first = cli("resolve", "--duplicate-free", "counterpart-list")
    assert first.returncode == 0, first.stderr
    for label in ("records", "persons", "links", "in review band", "conflicts open",
                  "verified persons"):
        assert label in first.stdout
    assert "linking" in first.stderr  # the progress bars went to standard error
    for stage in ("reading records", "linking: predict", "clustering", "persons"):
        assert stage in first.stderr  # one bar per stage, with done/total
    assert re.search(r"reading records\s.*\b(\d+)/\1\b", first.stderr)
    with ws.store.reading() as tx:
        records = tx.scalar(select(func.count()).select_from(SourceRecord)) or 0
        persons = tx.scalar(select(func.count(func.distinct(SourceRecord.person_id)))) or 0
        unresolved = tx.scalar(select(func.count()).select_from(SourceRecord)
                               .where(SourceRecord.person_id.is_(None)))
        some_person = tx.scalar(select(Person.id).where(Person.verified.is_(True)).limit(1))
        conflicts = tx.scalar(select(func.count()).select_from(IdentityConflict)) or 0
    assert unresolved == 0 and 40 <= persons < records
    again = cli("resolve")
    assert again.returncode == 0, again.stderr
    assert re.search(r"new records\s*│\s*0\b", again.stdout)

    review = cli("review", "list", "--limit", "5")
    assert review.returncode == 0, review.stderr
    assert "Review queue" in review.stdout or "empty" in review.stdout
    listed = cli("conflicts", "list", "--state", "all")
    assert listed.returncode == 0, listed.stderr
    if conflicts:
        assert "Conflicts (all)" in listed.stdout
    if some_person is not None:
        shown = cli("persons", "show", str(some_person))
        assert shown.returncode == 0, shown.stderr
        assert "verified: 2" in shown.stdout or "independent agencies" in shown.stdout
        assert "Records" in shown.stdout


def test_review_decide_and_errors_are_one_line(cli: Cli, ws: Workspace,
                                                operator: Actor, tmp_path: Path) -> None:
    from tests.services.identity_factory import PEOPLE, add_records

    ids = add_records(ws, source="MOD register", agency="MOD", rows=PEOPLE[:3])
    decided = cli("review", "decide", str(ids[0]), str(ids[1]), "no-match",
                      "--note", "different people")
    assert decided.returncode == 0, decided.stderr
    assert f"records {ids[0]} and {ids[1]}" in decided.stdout and "no match" in decided.stdout
    bad = cli("review", "decide", str(ids[0]), str(ids[1]), "perhaps")
    assert bad.returncode == 2
    lines = [line for line in bad.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "not a decision" in lines[0]
    missing = cli("persons", "show", "424242")
    assert missing.returncode == 3 and "no person 424242" in missing.stderr
    unresolvable = cli("conflicts", "resolve", "5", "--reason", "x")
    assert unresolvable.returncode == 3 and "no conflict 5" in unresolvable.stderr
    engine = cli("resolve", "--engine", "hadoop")
    assert engine.returncode == 2 and "engine" in engine.stderr
