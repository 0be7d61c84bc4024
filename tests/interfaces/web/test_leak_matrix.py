"""The leak matrix: every role × agency × field × way out (page, API, export, error, probe).

Canary values are planted in every field of records that some users must not see:
- one record from each intelligence agency (DIU, SSU, FIS): only intelligence services may know it;
- one top-secret record from MOD: no user here is cleared for it;
- one ordinary MOD record: logistics may know identity fields only, the mediator and the auditor
  nothing, and its details may be exported only by MOD itself;
- quarantined rows of a DIU import and of a MOD import;
- exchange lists drawn from the registry (a released one with entries whose sources are MOD,
  SSU, FIS and top-secret records, and a draft with one more MOD person), a plan on them, a
  reconciliation: a list entry carries its source's names, so it may reach exactly those who
  may see the source's names, and the mediator only on a released list.

Besides the registry's own ways out, every GET route any feature adds is swept with its path
parameters filled from the planted ids (a person page, a review pair…). Every response body every
user can get from every way out is searched for every canary (each of
the 48 users calls pages and API with its own API token; sessions lead to the same actor and are
tested in test_auth.py). What a
user may know is stated here from the requirements (not computed by the policy under test). The
test asserts zero leaks, checks that allowed values do show (so the search could fail), and
prints the number of cases.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from sqlalchemy import select

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.exchange_tables import (
    ExchangeList,
    ListVersion,
    Reconciliation,
    ReconciliationRow,
)
from parley.adapters.sql.tables import (
    Evidence,
    ImportBatch,
    Person,
    QuarantinedRow,
    Source,
    SourceRecord,
    User,
)
from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.agencies import INTELLIGENCE_AGENCIES
from parley.domain.lists import Entry, Status
from parley.services import accounts, lists
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import PASSWORD, TestClient

ROLES = [r for r in Role if r is not Role.OPERATOR]
AGENCIES = ["MOD", "DIU", "SSU", "FIS", "MOI", "OMB", "HQ", "MED"]
HANDLE_DATE = "1971-01-01"
"""Every planted record has this birth date: the search handle (so it carries no canary)."""

IDENTITY = {"family_name", "given_name", "patronymic", "citizenship", "rank", "service_number",
            "status"}
DETAIL = {"birth_place", "military_unit", "document_number", "capture_date", "capture_place",
          "notes", "raw", "raw_text", "originals", "extras", "q_reason", "q_raw", "q_raw_text",
          "evidence_value"}
PROVENANCE = {"source_name", "file_name", "record_key", "batch_file", "batch_sha"}
LISTED_FIELDS = {"family_name", "given_name", "patronymic"}
"""What a list entry shows of its source: the names (the birth date is the search handle)."""
RELEASED = "recv"
DRAFT = "draft"


@dataclass(frozen=True)
class Canary:
    value: str
    item: str  # which planted item
    agency: str
    classification: str
    field: str


@dataclass
class Plant:
    canaries: list[Canary] = field(default_factory=list)
    record_ids: dict[str, int] = field(default_factory=dict)
    person_ids: list[int] = field(default_factory=list)
    listed: dict[str, set[str]] = field(default_factory=dict)  # list name -> items on it
    _n: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new(self, item: str, agency: str, classification: str, name: str) -> str:
        value = f"ZQ{next(self._n):04d}X"
        self.canaries.append(Canary(value, item, agency, classification, name))
        return value


def _plant_record(ws: Workspace, plant: Plant, item: str, agency: str,
                  classification: str, quarantine: bool) -> None:
    def c(name: str) -> str:
        return plant.new(item, agency, classification, name)

    with ws.store.transaction() as tx:
        source = Source(name=c("source_name"), agency_code=agency, classification=classification)
        tx.add(source)
        tx.flush()
        batch = ImportBatch(source_id=source.id, agency_code=agency, file_name=c("batch_file"),
                            file_sha256=c("batch_sha"), file_format="csv", actor="ingest",
                            classification=classification, rows_read=2, rows_imported=1,
                            rows_quarantined=1 if quarantine else 0)
        tx.add(batch)
        tx.flush()
        values = {name: c(name) for name in ("family_name", "given_name", "patronymic",
                                             "citizenship", "rank", "service_number", "status",
                                             "birth_place", "military_unit", "document_number",
                                             "capture_date", "capture_place", "notes",
                                             "raw_text", "file_name", "record_key")}
        record = SourceRecord(
            source_id=source.id, batch_id=batch.id, agency_code=agency, line_no=2,
            raw={"Surname": c("raw")}, originals={"status": c("originals")},
            extras={"Channel": c("extras")}, content_hash=f"{item:0<64}"[:64],
            classification=classification, reliability="C3", birth_date=HANDLE_DATE, sex="M",
            **values)
        tx.add(record)
        if quarantine:
            tx.add(QuarantinedRow(batch_id=batch.id, file_name=batch.file_name, line_no=3,
                                  field="status", reason=c("q_reason"), raw={"x": c("q_raw")},
                                  raw_text=c("q_raw_text")))
        tx.flush()
        plant.record_ids[item] = record.id


def plant_everything(ws: Workspace) -> Plant:
    plant = Plant()
    for agency in sorted(INTELLIGENCE_AGENCIES):
        _plant_record(ws, plant, agency.lower(), agency, "restricted", quarantine=agency == "DIU")
    _plant_record(ws, plant, "ts", "MOD", "top_secret", quarantine=False)
    _plant_record(ws, plant, "mod", "MOD", "restricted", quarantine=True)
    # One resolved person whom a MOD, a DIU and a top-secret record describe, with evidence from
    # each: pages about persons must show the MOD side only to those outside intelligence.
    with ws.store.transaction() as tx:
        person = Person(display_name="Person under test", status="held")
        tx.add(person)
        tx.flush()
        for item, agency, classification in (("mod", "MOD", "restricted"),
                                             ("diu", "DIU", "restricted"),
                                             ("ts", "MOD", "top_secret")):
            record_id = plant.record_ids[item]
            tx.get_one(SourceRecord, record_id).person_id = person.id
            for prop in ("status", "capture_place"):
                value = plant.new(item, agency, classification, "evidence_value")
                tx.add(Evidence(person_id=person.id, source_record_id=record_id, property=prop,
                                value=value, agency_code=agency, classification=classification,
                                reliability="C3", content_hash=f"{value:0<64}"))
        plant.person_ids.append(person.id)
    plant_lists(ws, plant)
    return plant


def _person_for(ws: Workspace, plant: Plant, item: str) -> None:
    with ws.store.transaction() as tx:
        record = tx.get_one(SourceRecord, plant.record_ids[item])
        # Named from its record, as resolution names a person.
        person = Person(display_name=f"{record.family_name} {record.given_name}", status="held")
        tx.add(person)
        tx.flush()
        record.person_id = person.id


def plant_lists(ws: Workspace, plant: Plant) -> None:
    """Lists drawn from the planted records (the draw takes each person's least restricted
    record), a plan on them and a reconciliation naming a restricted record."""
    _plant_record(ws, plant, "ts2", "MOD", "top_secret", quarantine=False)
    for item in ("ssu", "fis", "ts2"):
        _person_for(ws, plant, item)
    lists.create_list(ws, actor=LOCAL_OPERATOR, name=RELEASED, direction="receive")
    lists.add_from_registry(ws, actor=LOCAL_OPERATOR, name=RELEASED)
    plant.listed[RELEASED] = {"mod", "ssu", "fis", "ts2"}
    keys = [e.key for e in lists.list_entries(ws, actor=LOCAL_OPERATOR, name=RELEASED)]
    lists.update_entries(ws, actor=LOCAL_OPERATOR, name=RELEASED, keys=keys, status="confirmed")
    lists.create_list(ws, actor=LOCAL_OPERATOR, name="give", direction="give")
    lists.add_entries(ws, actor=LOCAL_OPERATOR, name="give", entries=[
        Entry(key=f"G{i}", display_name=f"Given {i}", status=Status.CONFIRMED)
        for i in range(len(keys))])
    lists.plan_lists(ws, actor=LOCAL_OPERATOR, give="give", receive=RELEASED, stages=2)
    with ws.store.transaction() as tx:
        for lst in tx.scalars(select(ExchangeList)):
            tx.scalars(select(ListVersion).where(ListVersion.list_id == lst.id,
                                                 ListVersion.version == lst.version)
                       ).one().released_at = utcnow()
        recv = tx.scalars(select(ExchangeList).where(ExchangeList.name == RELEASED)).one()
        rec = Reconciliation(list_id=recv.id, list_version=recv.version, file_name="answer.csv",
                             file_sha256="0" * 64, created_by="local-operator",
                             counts={"registry_not_on_list": 1})
        tx.add(rec)
        tx.flush()
        tx.add(ReconciliationRow(reconciliation_id=rec.id, line_no=2,
                                 outcome="registry_not_on_list", raw={"Фамилия": "Answer"},
                                 reason=f"on our registry (record {plant.record_ids['diu']})",
                                 registry_record_id=plant.record_ids["diu"]))
    _plant_record(ws, plant, "draftonly", "MOD", "restricted", quarantine=False)
    _person_for(ws, plant, "draftonly")
    lists.create_list(ws, actor=LOCAL_OPERATOR, name=DRAFT, direction="receive")
    lists.add_from_registry(ws, actor=LOCAL_OPERATOR, name=DRAFT)
    plant.listed[DRAFT] = plant.listed[RELEASED] | {"draftonly"}


def may_know(role: Role, agency: str, canary: Canary, way: str,
             listed: frozenset[str] = frozenset()) -> bool:
    """The requirements, stated independently of the policy code. ``listed``: the planted items
    on the lists this role reads (the mediator reads released lists only)."""
    if canary.classification == "top_secret":  # every user here is cleared to 'secret'
        return False
    if canary.agency in INTELLIGENCE_AGENCIES and (agency not in INTELLIGENCE_AGENCIES
                                                   or role is Role.MEDIATOR):
        return False
    if role is not Role.AUDITOR and canary.item in listed and canary.field in LISTED_FIELDS:
        return True
    if role in (Role.MEDIATOR, Role.AUDITOR):  # lists and protocols / the log only
        return False
    if role is Role.LOGISTICS and canary.field not in IDENTITY:
        return False
    return not (way == "export" and canary.field in DETAIL and agency != canary.agency)


def _listed_for(plant: Plant, role: Role) -> frozenset[str]:
    if role is Role.AUDITOR:
        return frozenset()
    if role is Role.MEDIATOR:
        return frozenset(plant.listed[RELEASED])
    return frozenset(set().union(*plant.listed.values()))


def _way(path: str) -> str:
    if path.endswith(".csv"):
        return "export"
    return "api" if path.startswith("/api/") else "page"


def _swept_routes(app: Any) -> list[str]:
    """GET paths of every router in the app (other features' pages included)."""
    paths: list[str] = []
    for route in app.routes:
        inner = getattr(getattr(route, "original_router", None), "routes", [route])
        for candidate in inner:
            if isinstance(candidate, APIRoute) and "GET" in candidate.methods:
                paths.append(candidate.path)
    skip = ("/login", "/logout", "/account", "/api/me", "/")
    return sorted({p for p in paths if p not in skip and not p.startswith("/login")})


def _sweep(app: Any, plant: Plant, already: set[str]) -> list[tuple[str, str]]:
    """Every other GET route, with its path parameters filled from the planted ids."""
    records = list(plant.record_ids.values())
    mod = plant.record_ids["mod"]
    pairs = [(a, mod) for a in records if a != mod] + [(mod, a) for a in records if a != mod]
    out: list[tuple[str, str]] = []
    for path in _swept_routes(app):
        params = re.findall(r"{(\w+)}", path)
        fillings: list[tuple[int | str, ...]]
        if not params:
            fillings = [()]
        elif params == ["name"]:
            fillings = [(n,) for n in plant.listed]  # type: ignore[misc]
        elif len(params) == 1:
            ids = plant.person_ids if "person" in params[0] else records
            fillings = [(i,) for i in ids]
        else:
            fillings = [pair + (mod,) * (len(params) - 2) for pair in pairs]
        for filling in fillings:
            concrete = path
            for name, value in zip(params, filling, strict=True):
                concrete = concrete.replace("{" + name + "}", str(value))
            if concrete not in already:
                out.append((_way(concrete), concrete))
    return out


def _requests(plant: Plant) -> list[tuple[str, str]]:
    """(way out, path) for one user."""
    out: list[tuple[str, str]] = [
        ("page", f"/search?birth_date={HANDLE_DATE}"),
        ("page", "/imports"),
        ("api", f"/api/search?birth_date={HANDLE_DATE}"),
        ("api", "/api/imports"),
        ("export", f"/search.csv?birth_date={HANDLE_DATE}"),
        ("export", f"/api/search/export.csv?birth_date={HANDLE_DATE}"),
        ("error", "/records/not-a-number"),
        ("error", "/api/records/999999999"),
        ("page", "/lists"),
        ("page", "/plan"),
        ("page", "/plan?page=2"),
        ("page", f"/lists/{RELEASED}?sort=name&q=ZQ"),
    ]
    for record_id in plant.record_ids.values():
        out += [("page", f"/records/{record_id}"),
                ("api", f"/api/records/{record_id}"),
                ("export", f"/records/{record_id}.csv"),
                ("export", f"/api/records/{record_id}/export.csv")]
    return out


def _user(ws: Workspace, username: str, role: Role, agency: str, password_hash: str) -> Actor:
    """A user row as ``create_user`` leaves it (that path, with its slow argon2 hash, is tested
    elsewhere); requests authenticate with an API token, which pages accept too."""
    with ws.store.transaction() as tx:
        user = User(username=username, display_name=username, password_hash=password_hash,
                    role=role.value, agency_code=agency, clearance="secret")
        tx.add(user)
        tx.flush()
        return accounts.actor_of(user)


def test_no_field_reaches_a_user_who_may_not_see_it(ws: Workspace, client: TestClient) -> None:
    plant = plant_everything(ws)
    mine = _requests(plant)
    requests = mine + _sweep(client.app, plant, {path.split("?")[0] for _, path in mine})
    password_hash = PasswordHasher().hash(PASSWORD)  # one argon2 hash for all 48 users
    leaks: list[str] = []
    cases = 0
    shown_as_allowed = 0
    links_seen = 0  # users shown some record link (so the link check could fail)
    statuses: set[int] = set()
    unseen: list[str] = []  # users who do not see a listed name they may see
    for role, agency in itertools.product(ROLES, AGENCIES):
        username = f"{role.value}-{agency.lower()}"
        listed = _listed_for(plant, role)
        actor = _user(ws, username, role, agency, password_hash)
        token = accounts.create_api_token(ws, actor=actor, name="matrix",
                                          scopes=accounts.parse_scopes("all")).token
        bodies: dict[str, list[str]] = {"page": [], "api": [], "export": [], "error": []}
        opened: set[int] = set()  # records this user's /records/{id} page answers
        for way, path in requests:
            response = client.get(path, headers={"Authorization": f"Bearer {token}"},
                                  follow_redirects=False)
            statuses.add(response.status_code)
            if re.fullmatch(r"/records/\d+", path) and response.status_code == 200:
                opened.add(int(path.rsplit("/", 1)[1]))
            assert response.status_code in {200, 401, 403, 404, 405, 409, 422}, (username, path)
            kind = "error" if response.status_code >= 400 else way
            bodies[kind].append(response.text)
        # Probes: a number only an intelligence record holds must not find it for others.
        for canary in plant.canaries:
            if canary.field != "service_number":
                continue
            probe = client.get(f"/api/search?number={canary.value}",
                               headers={"Authorization": f"Bearer {token}"})
            cases += 1
            found = probe.status_code == 200 and probe.json()["records"] != []
            if found and not may_know(role, agency, canary, "api", listed):
                leaks.append(f"{username}: probe by {canary.item}'s service number found it")
        for way, texts in bodies.items():
            joined = "\n".join(texts)
            for canary in plant.canaries:
                cases += 1
                present = canary.value in joined
                allowed = may_know(role, agency, canary, "export" if way == "export" else way,
                                   listed)
                if present and not allowed:
                    leaks.append(f"{username} ({way}): {canary.item}.{canary.field}")
                shown_as_allowed += present and allowed
        # Links: a record linked from any page (a list entry's sources, a person's records) or
        # named in an API entry's "records" is one this user may open; others are not hinted.
        linked = {int(i) for i in re.findall(r'href="/records/(\d+)"', "\n".join(bodies["page"]))}
        for ids in re.findall(r'"records":\[([\d,]*)\]', "\n".join(bodies["api"])):
            linked |= {int(i) for i in ids.split(",") if i}
        cases += 1
        if linked - opened:
            leaks.append(f"{username}: links to records {sorted(linked - opened)} it may not open")
        links_seen += bool(linked)
        # Positive controls: the matrix can see a value where the user may see it.
        if role is Role.ANALYST:
            mod_notes = next(c.value for c in plant.canaries
                             if c.item == "mod" and c.field == "notes")
            assert mod_notes in "\n".join(bodies["page"]), username
            own = agency.lower() if agency in INTELLIGENCE_AGENCIES else "mod"
            own_family = next(c.value for c in plant.canaries
                              if c.item == own and c.field == "family_name")
            assert own_family in "\n".join(bodies["export"]), username
        # Lists: the coordinator sees the names of the entries they are cleared for, and the
        # mediator those of the released list.
        mod_family = next(c.value for c in plant.canaries
                          if c.item == "mod" and c.field == "family_name")
        if role in (Role.COORDINATOR, Role.MEDIATOR, Role.LOGISTICS) and (
                mod_family not in "\n".join(bodies["page"] + bodies["export"])):
            unseen.append(username)
        if role is Role.COORDINATOR and agency in INTELLIGENCE_AGENCIES:
            ssu_family = next(c.value for c in plant.canaries
                              if c.item == "ssu" and c.field == "family_name")
            if ssu_family not in "\n".join(bodies["page"]):
                unseen.append(username)
    print(f"\nleak matrix: {len(ROLES)} roles × {len(AGENCIES)} agencies × "  # noqa: T201
          f"{len(plant.canaries)} planted fields × {len(requests)} requests per user; "
          f"{cases} cases checked, {shown_as_allowed} allowed exposures seen, "
          f"{len(leaks)} leaks")
    assert statuses >= {200, 403, 404}
    assert shown_as_allowed > 0
    assert links_seen > 0
    assert leaks == []
    assert unseen == []

