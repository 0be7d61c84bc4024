"""The families commands keep the interfaces scripts use: names, options, JSON keys, CSV
columns (issue 14, "Interfaces")."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from parley.domain.actors import Role
from tests.conftest import Cli


def test_inquiries_pfif_and_remains_commands(cli: Cli, tmp_path: Path) -> None:
    cli.as_user("liaison", Role.FAMILY_LIAISON, "OMB")  # who holds the inquirers' contacts
    inquiries = tmp_path / "inq.csv"
    inquiries.write_text(
        "inquiry_id,inquirer_name,inquirer_relation,inquirer_phone,inquirer_email,consent,"
        "family_name,given_name,birth_date\n"
        "A-1,Мельник Ольга,дружина,+380501112233,olha@example.org,contact+icrc,Мельник,Олег,"
        "1978-11-30\n"
        "A-2,,мати,,,так,Бойко,Микола,\n", encoding="utf-8")
    first = cli("inquiries", "import", str(inquiries), "--channel", "hotline", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"read": 2, "imported": 1, "duplicates": 0,
                                        "quarantined": 1}
    again = cli("inquiries", "import", str(inquiries), "--channel", "hotline", "--json")
    assert json.loads(again.stdout)["imported"] == 0
    bad = cli("inquiries", "import", str(inquiries), "--channel", "pigeon")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --channel")

    matched = cli("inquiries", "match", "--json")
    assert matched.returncode == 0, matched.stderr
    assert json.loads(matched.stdout) == {"linked": 0, "review": 0, "unmatched": 1}
    out = tmp_path / "inq_out.csv"
    assert cli("inquiries", "export", "-o", str(out)).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["inquiry_id", "state", "person_id", "record_ids", "probability"],
                    ["A-1", "open", "", "", ""]]

    xml = tmp_path / "out.xml"
    assert cli("pfif", "export", "-o", str(xml)).returncode == 0
    assert "Мельник Олег" in xml.read_text(encoding="utf-8")
    pfif = cli("pfif", "import", str(xml), "--source", "self", "--json")
    assert pfif.returncode == 0, pfif.stderr
    assert json.loads(pfif.stdout)["persons"] == 1

    done = cli("remains", "repatriation", "R-1", "--received", "5", "--handed-over", "1")
    assert done.returncode == 0, done.stderr
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,repatriation_id,state\nC-1,R-1,sampled\n", encoding="utf-8")
    assert cli("remains", "import", str(cases)).returncode == 0
    assert cli("remains", "sample", "S-1", "--lab", "Lab", "--inquiry", "A-1").returncode == 0
    results = tmp_path / "results.csv"
    results.write_text("case_id,sample_id,inquiry_id,result\nC-1,S-1,A-1,match\n",
                       encoding="utf-8")
    done = cli("remains", "results", str(results), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["identified"] == 1
    overview = json.loads(cli("remains", "overview").stdout)
    assert overview["states"]["identified"] == 1
    assert cli("answers", "sync").returncode == 0
    outbox = tmp_path / "outbox.csv"
    assert cli("answers", "outbox", "-o", str(outbox)).returncode == 0
    [due] = list(csv.DictReader(outbox.open(encoding="utf-8")))
    assert due["event"] == "remains_identified" and due["inquirer_phone"] == "+380501112233"
    pdf = tmp_path / "letter.pdf"
    assert cli("answers", "letter", due["task_id"], "-o", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    sent = cli("answers", "sent", due["task_id"], "--how", "post")
    assert sent.returncode == 0, sent.stderr
