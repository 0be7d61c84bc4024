"""The families commands keep the interfaces scripts use: names, options, JSON keys, CSV
columns (issue 14, "Interfaces")."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from parley.services.workspace import Workspace


def _parley(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", *args],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=600, check=False)


def test_inquiries_pfif_and_remains_commands(
    ws: Workspace, cli_env: dict[str, str], tmp_path: Path
) -> None:
    inquiries = tmp_path / "inq.csv"
    inquiries.write_text(
        "inquiry_id,inquirer_name,inquirer_relation,inquirer_phone,inquirer_email,consent,"
        "family_name,given_name,birth_date\n"
        "A-1,Мельник Ольга,дружина,+380501112233,olha@example.org,contact+icrc,Мельник,Олег,"
        "1978-11-30\n"
        "A-2,,мати,,,так,Бойко,Микола,\n", encoding="utf-8")
    first = _parley("inquiries", "import", str(inquiries), "--channel", "hotline", "--json",
                    env=cli_env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"read": 2, "imported": 1, "duplicates": 0,
                                        "quarantined": 1}
    again = _parley("inquiries", "import", str(inquiries), "--channel", "hotline", "--json",
                    env=cli_env)
    assert json.loads(again.stdout)["imported"] == 0
    bad = _parley("inquiries", "import", str(inquiries), "--channel", "pigeon", env=cli_env)
    assert bad.returncode == 2 and bad.stderr.startswith("error: --channel")

    matched = _parley("inquiries", "match", "--json", env=cli_env)
    assert matched.returncode == 0, matched.stderr
    assert json.loads(matched.stdout) == {"linked": 0, "review": 0, "unmatched": 1}
    out = tmp_path / "inq_out.csv"
    assert _parley("inquiries", "export", "-o", str(out), env=cli_env).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["inquiry_id", "state", "person_id", "record_ids", "probability"],
                    ["A-1", "open", "", "", ""]]

    xml = tmp_path / "out.xml"
    assert _parley("pfif", "export", "-o", str(xml), env=cli_env).returncode == 0
    assert "Мельник Олег" in xml.read_text(encoding="utf-8")
    pfif = _parley("pfif", "import", str(xml), "--source", "self", "--json", env=cli_env)
    assert pfif.returncode == 0, pfif.stderr
    assert json.loads(pfif.stdout)["persons"] == 1

    assert _parley("remains", "repatriation", "R-1", "--received", "5", "--handed-over", "1",
                   env=cli_env).returncode == 0
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,repatriation_id,state\nC-1,R-1,sampled\n", encoding="utf-8")
    assert _parley("remains", "import", str(cases), env=cli_env).returncode == 0
    assert _parley("remains", "sample", "S-1", "--lab", "Lab", "--inquiry", "A-1",
                   env=cli_env).returncode == 0
    results = tmp_path / "results.csv"
    results.write_text("case_id,sample_id,inquiry_id,result\nC-1,S-1,A-1,match\n",
                       encoding="utf-8")
    done = _parley("remains", "results", str(results), "--json", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["identified"] == 1
    overview = json.loads(_parley("remains", "overview", env=cli_env).stdout)
    assert overview["states"]["identified"] == 1
    assert _parley("answers", "sync", env=cli_env).returncode == 0
    outbox = tmp_path / "outbox.csv"
    assert _parley("answers", "outbox", "-o", str(outbox), env=cli_env).returncode == 0
    [due] = list(csv.DictReader(outbox.open(encoding="utf-8")))
    assert due["event"] == "remains_identified" and due["inquirer_phone"] == "+380501112233"
    pdf = tmp_path / "letter.pdf"
    assert _parley("answers", "letter", due["task_id"], "-o", str(pdf),
                   env=cli_env).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    sent = _parley("answers", "sent", due["task_id"], "--how", "post", env=cli_env)
    assert sent.returncode == 0, sent.stderr
