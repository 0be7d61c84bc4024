"""Importing a file from the browser: upload (size and format checked), a background import the
page follows with htmx polling, the batch's counts, its quarantined rows as CSV; and
``POST /api/imports`` (multipart) for scripts, which imports in the request."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.policy import CLEARANCE_LEVELS
from parley.errors import Conflict, InvalidInput
from parley.interfaces.web.deps import NAV, NavItem, RowId, WorkspaceDep, render, require
from parley.interfaces.web.error_text import translate_error
from parley.interfaces.web.i18n import N_
from parley.services import import_jobs
from parley.services.admin import agency_codes
from parley.services.workspace import Workspace

router = APIRouter()
NAV.append(NavItem(N_("Import a file"), "/imports/new", Action.INGEST))

Importer = Annotated[Actor, require(Action.INGEST)]
Reader = Annotated[Actor, require(Action.READ_RECORD)]
JobId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="An import job.")]


def _read(upload: UploadFile) -> bytes:
    """At most one byte over the limit, so a huge upload is refused without reading it all."""
    return upload.file.read(import_jobs.MAX_UPLOAD_BYTES + 1)


def _form(request: Request, ws: Workspace, actor: Actor, status_code: int = 200,
          **extra: Any) -> Response:
    return render(request, "imports/new.html", status_code,
                  agencies=agency_codes(ws, actor=actor), clearances=CLEARANCE_LEVELS,
                  max_mb=import_jobs.MAX_UPLOAD_BYTES // (1024 * 1024), **extra)


@router.get("/imports/new", response_class=HTMLResponse, include_in_schema=False)
def new_import(request: Request, ws: WorkspaceDep, actor: Importer) -> Response:
    return _form(request, ws, actor)


@router.post("/imports/new", response_class=HTMLResponse, include_in_schema=False)
def start_import(request: Request, ws: WorkspaceDep, actor: Importer,
                 file: Annotated[UploadFile, File()],
                 source: Annotated[str, Form(max_length=200)],
                 agency: Annotated[str, Form(max_length=32)],
                 classification: Annotated[str, Form(max_length=32)] = "restricted",
                 reliability: Annotated[str, Form(max_length=2)] = "F6") -> Response:
    try:
        job = import_jobs.start_import(
            ws, actor=actor, data=_read(file), file_name=file.filename or "", source=source,
            agency=agency, classification=classification, reliability=reliability)
    except (InvalidInput, Conflict) as err:
        return _form(request, ws, actor, err.http_status, error=translate_error(err))
    return RedirectResponse(f"/imports/jobs/{job.id}", status_code=303)


@router.get("/imports/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, actor: Importer, job_id: JobId) -> Response:
    return render(request, "imports/job.html",
                  job=import_jobs.import_job(actor=actor, job_id=job_id))


@router.get("/imports/jobs/{job_id}/progress", response_class=HTMLResponse,
            include_in_schema=False)
def job_progress(request: Request, actor: Importer, job_id: JobId) -> Response:
    return render(request, "imports/_progress.html",
                  job=import_jobs.import_job(actor=actor, job_id=job_id))


@router.get("/imports/{batch_id}/quarantine.csv", include_in_schema=False)
def quarantine_download(ws: WorkspaceDep, actor: Reader, batch_id: RowId) -> Response:
    body = import_jobs.quarantine_csv(ws, actor=actor, batch_id=batch_id)
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="batch-{batch_id}-quarantine.csv"'})


@router.post("/api/imports", tags=["registry"], status_code=201,
             summary="Import a CSV, XLSX or JSONL file (multipart); returns the batch's counts")
def api_import(ws: WorkspaceDep, actor: Importer,
               file: Annotated[UploadFile, File(description="The file (CSV, XLSX or JSONL).")],
               source: Annotated[str, Form(max_length=200)],
               agency: Annotated[str, Form(max_length=32)],
               classification: Annotated[str, Form(max_length=32)] = "restricted",
               reliability: Annotated[str, Form(max_length=2)] = "F6") -> dict[str, object]:
    report = import_jobs.import_now(
        ws, actor=actor, data=_read(file), file_name=file.filename or "", source=source,
        agency=agency, classification=classification, reliability=reliability)
    return report.as_dict()
