"""Registry pages and API: search, a source record, the imports; CSV exports of the first two.

Every response is built from what ``parley.services.registry`` returns, already redacted.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind, Op, kinds_readable
from parley.errors import InvalidInput
from parley.interfaces.web.deps import (
    NAV,
    CsvResponse,
    NavItem,
    RowId,
    WorkspaceDep,
    render,
    require,
)
from parley.interfaces.web.error_text import translate_error
from parley.interfaces.web.i18n import N_
from parley.interfaces.web.json_body import plain
from parley.interfaces.web.routes.list_actions import list_choices
from parley.services import registry
from parley.services.access import WITHHELD

router = APIRouter()
NAV.append(NavItem(N_("Search"), "/search", Action.SEARCH_REGISTRY))
NAV.append(NavItem(N_("Imports"), "/imports", Action.READ_RECORD))

Searcher = Annotated[Actor, require(Action.SEARCH_REGISTRY)]
Reader = Annotated[Actor, require(Action.READ_RECORD)]
NameQ = Annotated[str, Query(max_length=200, description="Any spelling of any name parts.")]
DateQ = Annotated[str, Query(max_length=20, description="1990-05-12, 1990-05, 1990 or 12.05.1990")]
NumberQ = Annotated[str, Query(max_length=64, description="A service or document number.")]
LimitQ = Annotated[int, Query(ge=1, le=registry.MAX_LIMIT)]
PageLimitQ = Annotated[int, Query(ge=1, le=200)]
"""A page shows at most 200 results (the API and the CSV export may give more)."""

FIELD_LABELS = {
    "family_name": N_("Family name"),
    "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"),
    "birth_date": N_("Birth date"),
    "birth_place": N_("Birth place"),
    "sex": N_("Sex"),
    "citizenship": N_("Citizenship"),
    "military_unit": N_("Military unit"),
    "service_number": N_("Service number"),
    "rank": N_("Rank"),
    "document_number": N_("Document number"),
    "status": N_("Status"),
    "capture_date": N_("Capture date"),
    "capture_place": N_("Capture place"),
    "notes": N_("Notes"),
    "source_name": N_("Source"),
    "agency_code": N_("Agency"),
    "file_name": N_("File"),
    "line_no": N_("Line"),
    "imported_at": N_("Imported at"),
    "content_hash": N_("Content hash (SHA-256)"),
    "classification": N_("Classification"),
    "reliability": N_("Reliability (Admiralty)"),
    "batch_id": N_("Import batch"),
    "record_key": N_("Record id in source"),
}


def _csv(body: str, filename: str) -> Response:
    return CsvResponse(body, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """JSON form of a redacted row: the withheld list is named ``withheld``."""
    out = {k: v for k, v in row.items() if k != WITHHELD}
    out["withheld"] = list(row.get(WITHHELD, ()))
    return out


# --- pages ------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, ws: WorkspaceDep, actor: Searcher, name: NameQ = "",
                birth_date: DateQ = "", number: NumberQ = "", limit: PageLimitQ = 50) -> Response:
    result: registry.SearchResult | None = None
    error: str | None = None
    if name or birth_date or number:
        try:
            result = registry.search_registry(ws, actor=actor, name=name, birth_date=birth_date,
                                              number=number, limit=limit)
        except InvalidInput as err:
            error = translate_error(err)
    template = "search_results.html" if request.headers.get("hx-request") else "search.html"
    return render(request, template, result=result, error=error, name=name,
                  birth_date=birth_date, number=number, labels=FIELD_LABELS,
                  can_open=actor.may(Action.READ_RECORD),
                  can_export=Kind.SOURCE_RECORD in kinds_readable(actor, Op.EXPORT),
                  list_names=list_choices(ws, actor) if result and result.rows else [])


@router.get("/search.csv", include_in_schema=False)
def search_export(ws: WorkspaceDep, actor: Searcher, name: NameQ = "", birth_date: DateQ = "",
                  number: NumberQ = "") -> Response:
    body = registry.export_search(ws, actor=actor, name=name, birth_date=birth_date,
                                  number=number)
    return _csv(body, "parley-search.csv")


# The CSV route comes first: '/records/{record_id}' would swallow '5.csv' otherwise.
@router.get("/records/{record_id}.csv", include_in_schema=False)
def record_export(ws: WorkspaceDep, actor: Reader, record_id: RowId) -> Response:
    return _csv(registry.export_record(ws, actor=actor, record_id=record_id),
                f"parley-record-{record_id}.csv")


@router.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def record_page(request: Request, ws: WorkspaceDep, actor: Reader, record_id: RowId) -> Response:
    row = registry.get_source_record(ws, actor=actor, record_id=record_id)
    return render(request, "record.html", row=row, withheld=set(row.get(WITHHELD, ())),
                  fields=registry.RECORD_FIELDS, provenance=registry.PROVENANCE_FIELDS,
                  labels=FIELD_LABELS, list_names=list_choices(ws, actor))


OVERVIEW_BATCHES = 50
OVERVIEW_ROWS = 4
"""The imports page lists the newest 50 batches with the first 4 quarantined rows of each (at
most 200 rows: no page sends more); a batch's own page (``?batch=N``) pages through all of its
rows, 50 at a time."""


@router.get("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, ws: WorkspaceDep, actor: Reader,
                 batch: Annotated[int | None, Query(ge=1)] = None,
                 offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    rows = registry.QUARANTINE_PAGE if batch is not None else OVERVIEW_ROWS
    return render(request, "imports.html", page=rows,
                  batches=registry.list_imports(ws, actor=actor, batch_id=batch, offset=offset,
                                                limit=OVERVIEW_BATCHES, rows_per_batch=rows))


# --- JSON API ---------------------------------------------------------------------------------


@router.get("/api/search", tags=["registry"], summary="Search the registry")
def api_search(ws: WorkspaceDep, actor: Searcher, name: NameQ = "", birth_date: DateQ = "",
               number: NumberQ = "", limit: LimitQ = 50) -> JSONResponse:
    """Source records matching every criterion, redacted for the caller; ``withheld`` names the
    fields the caller may not see."""
    result = registry.search_registry(ws, actor=actor, name=name, birth_date=birth_date,
                                      number=number, limit=limit)
    return JSONResponse(plain({
        "criteria": result.criteria, "truncated": result.truncated,
        "records": [_public(r) for r in result.rows]}))


@router.get("/api/records/{record_id}", tags=["registry"], summary="One source record")
def api_record(ws: WorkspaceDep, actor: Reader, record_id: RowId) -> JSONResponse:
    """The raw row verbatim, the canonical fields and the provenance, redacted for the caller."""
    row = registry.get_source_record(ws, actor=actor, record_id=record_id)
    return JSONResponse(plain(_public(row)))


@router.get("/api/records/{record_id}/export.csv", tags=["registry"],
            summary="One source record as CSV", response_class=CsvResponse)
def api_record_csv(ws: WorkspaceDep, actor: Reader, record_id: RowId) -> Response:
    return _csv(registry.export_record(ws, actor=actor, record_id=record_id),
                f"parley-record-{record_id}.csv")


@router.get("/api/search/export.csv", tags=["registry"], summary="Search results as CSV",
            response_class=CsvResponse)
def api_search_csv(ws: WorkspaceDep, actor: Searcher, name: NameQ = "", birth_date: DateQ = "",
                   number: NumberQ = "") -> Response:
    return _csv(registry.export_search(ws, actor=actor, name=name, birth_date=birth_date,
                                       number=number), "parley-search.csv")


@router.get("/api/imports", tags=["registry"], summary="Import batches and quarantined rows")
def api_imports(ws: WorkspaceDep, actor: Reader,
                limit: Annotated[int, Query(ge=1, le=registry.MAX_LIMIT)] = 50,
                batch: Annotated[int | None, Query(ge=1)] = None,
                quarantine_offset: Annotated[int, Query(ge=0)] = 0,
                quarantine_limit: Annotated[int, Query(ge=1, le=registry.MAX_LIMIT)] = (
                    registry.QUARANTINE_PAGE)) -> JSONResponse:
    """Batches, newest first, each with one page of quarantined rows (text cut to
    ``QUARANTINE_TEXT`` characters); page with ``batch``, ``quarantine_offset`` and
    ``quarantine_limit``."""
    views = registry.list_imports(ws, actor=actor, limit=limit, batch_id=batch,
                                  offset=quarantine_offset, rows_per_batch=quarantine_limit)
    return JSONResponse(plain([
        {**_public(v.batch), "quarantined_total": v.quarantined_total,
         "quarantined_offset": v.quarantined_offset,
         "quarantined": [_public(q) for q in v.quarantined]} for v in views]))


