"""Imports started from the browser: the uploaded file is checked (size, format), saved to a
private temporary folder and handed to :func:`parley.services.ingest.ingest_file` in a
background thread, one import at a time per workspace, while the page polls the job.

Jobs live in this process's memory (a restart forgets them; the batch and its counts stay in
the database). The quarantined rows of a batch are offered as CSV, redacted as the imports page
shows them.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.adapters.files.csv_export import export_writer
from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind
from parley.errors import N_, Conflict, InvalidInput, NotFound, ParleyError
from parley.services.access import WITHHELD, redact_many
from parley.services.ingest import IngestReport, ingest_file
from parley.services.workspace import Workspace

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FORMATS = (".csv", ".xlsx", ".jsonl")
QUARANTINE_COLUMNS = ("line_no", "field", "reason", "raw_text")
KEEP_JOBS = 100  # finished jobs remembered (the batch itself stays in the database)


@dataclass
class ImportJob:
    id: str
    owner: str
    file_name: str
    state: str = "running"  # running | done | failed
    done: int = 0
    expected: int | None = None
    report: dict[str, Any] | None = None
    error: str = ""


@dataclass
class _Registry:
    jobs: dict[str, ImportJob] = field(default_factory=dict)
    busy: dict[str, threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def lock_for(self, ws: Workspace) -> threading.Lock:
        with self.guard:
            return self.busy.setdefault(ws.settings.effective_database_url, threading.Lock())


_REGISTRY = _Registry()


def check_upload(file_name: str, size: int) -> str:
    """The upload's safe file name; ``InvalidInput`` (one line) for a file we will not read."""
    name = re.sub(r"[^\w.\- ]", "_", Path(file_name or "").name).strip()[:200]
    if not name.lower().endswith(FORMATS):
        raise InvalidInput(
            N_("file: '%(name)s' is not a CSV, XLSX or JSONL file"),
            name=name or '(none)',
        )
    if size > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            N_("file: larger than %(megabytes)s MB"),
            megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    if size == 0:
        raise InvalidInput(N_("file: '%(name)s' is empty"), name=name)
    return name


def _saved(ws: Workspace, name: str, data: bytes) -> Path:
    ws.settings.data_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=ws.settings.data_dir))  # 0700
    path = folder / name
    path.write_bytes(data)
    return path


def import_now(ws: Workspace, *, actor: Actor, data: bytes, file_name: str, source: str,
               agency: str, classification: str, reliability: str) -> IngestReport:
    """Import an uploaded file in the caller's thread (the API's ``POST /api/imports``)."""
    actor.require(Action.INGEST)
    name = check_upload(file_name, len(data))
    path = _saved(ws, name, data)
    try:
        return ingest_file(ws, actor=actor, path=path, source=source, agency=agency,
                           classification=classification, reliability=reliability)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def start_import(ws: Workspace, *, actor: Actor, data: bytes, file_name: str, source: str,
                 agency: str, classification: str, reliability: str) -> ImportJob:
    """Start an import in the background; ``Conflict`` while another runs in the workspace."""
    actor.require(Action.INGEST)
    name = check_upload(file_name, len(data))
    if not source.strip():
        raise InvalidInput(N_("source: a source name is required"))
    lock = _REGISTRY.lock_for(ws)
    if not lock.acquire(blocking=False):
        raise Conflict(N_("another import is running in this workspace: wait until it finishes"))
    job = ImportJob(id=uuid.uuid4().hex, owner=actor.username, file_name=name)
    try:
        path = _saved(ws, name, data)
    except OSError:
        lock.release()
        raise
    finished = [k for k, j in _REGISTRY.jobs.items() if j.state != "running"]
    for key in finished[: max(0, len(finished) - KEEP_JOBS + 1)]:
        del _REGISTRY.jobs[key]  # oldest first (dicts keep insertion order)
    _REGISTRY.jobs[job.id] = job

    def progress(stage: str, done: int, total: int | None) -> None:
        job.done, job.expected = done, total

    def run() -> None:
        try:
            report = ingest_file(ws, actor=actor, path=path, source=source, agency=agency,
                                 classification=classification, reliability=reliability,
                                 progress=progress)
            job.report, job.done, job.state = report.as_dict(), report.read, "done"
        except ParleyError as err:
            job.error, job.state = str(err), "failed"
        except Exception:  # a bug: say so without details (they may hold the file's data)
            job.error, job.state = "the import stopped on an unexpected error", "failed"
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
            lock.release()

    threading.Thread(target=run, name=f"import-{job.id[:8]}", daemon=True).start()
    return job


def import_job(*, actor: Actor, job_id: str) -> ImportJob:
    """A job the actor started (another user's job is as unknown as a missing one)."""
    actor.require(Action.INGEST)
    job = _REGISTRY.jobs.get(job_id)
    if job is None or job.owner != actor.username:
        raise NotFound(N_("no such import"))
    return job


def quarantine_csv(ws: Workspace, *, actor: Actor, batch_id: int) -> str:
    """The batch's quarantined rows as CSV; a withheld field is an empty cell."""
    actor.require(Action.READ_RECORD)
    repo = ws.repos.ingest
    with ws.store.reading() as tx:
        batch = repo.batch(tx, batch_id)
        if batch is None or not redact_many(actor, Kind.IMPORT_BATCH, [{
                "id": batch.id, "agency_code": batch.agency_code,
                "classification": batch.classification}]):
            raise NotFound(N_("no import batch %(batch_id)s"), batch_id=batch_id)
        items = [{**row, "agency_code": batch.agency_code,
                  "classification": batch.classification}
                 for row in repo.quarantined(tx, batch_id)]
    shown = redact_many(actor, Kind.QUARANTINED_ROW, items)
    out = io.StringIO()
    writer = export_writer(out, lineterminator="\n")
    writer.writerow(QUARANTINE_COLUMNS)
    for row in shown:
        hidden = set(row.get(WITHHELD, ()))
        writer.writerow(["" if c in hidden else row.get(c, "") for c in QUARANTINE_COLUMNS])
    return out.getvalue()
