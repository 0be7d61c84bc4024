"""``parley lists``: exchange lists, their versions, sign-off, signed export and planning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.adapters.private_files import write_private
from parley.domain.agreement import agreement_from_options
from parley.domain.lists import Status
from parley.domain.plan import CATEGORIES
from parley.domain.priority import rules_to_data
from parley.errors import InvalidInput, NotFound, UnreadableFile
from parley.interfaces.cli.common import acting, console, plain, safe
from parley.interfaces.cli.plan import StageCategoriesOpt, StageSizesOpt
from parley.services import lists as svc
from parley.services import signoff
from parley.services.planning import read_rules, write_plan

lists_app = typer.Typer(help="Exchange lists: entries, statuses, versions, sign-off, export.",
                        no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="The list's name.")]


@lists_app.command("create")
def create(
    name: NameArg,
    direction: Annotated[str, typer.Option("--direction", help="receive (our people held by "
                                           "them) or give (their people we hold).")],
    approvers: Annotated[str, typer.Option("--approvers", help="Agencies that must approve "
                                           "before release, comma-separated.")]
    = ",".join(svc.DEFAULT_SIGNOFF_AGENCIES),
) -> None:
    """Create an empty list."""
    codes = [c.strip() for c in approvers.split(",") if c.strip()]
    ws, me = acting()
    info = svc.create_list(ws, actor=me, name=name, direction=direction,
                           required_agencies=codes)
    console.print(f"list {safe(info.name)} ({safe(info.direction)}) created; sign-off by "
                  f"{safe(', '.join(info.required_agencies))}")


@lists_app.command("add")
def add(name: NameArg,
        csv_file: Annotated[Path, typer.Argument(help="Entries CSV: record_id, family_name, "
                                                 "given_name, patronymic, birth_date, category, "
                                                 "seriously_wounded, captivity_start, …")],
        ) -> None:
    """Add the people in a CSV file to the list (one new version)."""
    entries = svc.read_entries_csv(csv_file)
    ws, me = acting()
    info = svc.add_entries(ws, actor=me, name=name, entries=entries,
                           note=f"added {len(entries)} from {csv_file.name}")
    console.print(f"{safe(name)}: version {info.version}, {info.entries} entries")


@lists_app.command("draw")
def draw(
    name: NameArg,
    statuses: Annotated[str, typer.Option("--status", help="Registry statuses to draw, "
                                          "comma-separated.")] = ",".join(svc.HELD_STATUSES),
    limit: Annotated[int | None, typer.Option("--limit")] = None,
) -> None:
    """Add the registry's people with these statuses (our people held by the other side)."""
    ws, me = acting()
    info = svc.add_from_registry(ws, actor=me, name=name,
                                 statuses=[s.strip() for s in statuses.split(",") if s.strip()],
                                 limit=limit)
    console.print(f"{safe(name)}: version {info.version}, {info.entries} entries")


@lists_app.command("set")
def set_entry(
    name: NameArg,
    key: Annotated[str, typer.Argument(help="The entry's record id.")],
    status: Annotated[str | None, typer.Option("--status", help=", ".join(s.value for s in
                                                                          Status))] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (required for held_back).")] = "",
    identity_verified: Annotated[bool | None, typer.Option("--identity-verified/"
                                                           "--identity-unverified")] = None,
    medical_fit: Annotated[bool | None, typer.Option("--medical-fit/--medical-unfit")] = None,
    will_recorded: Annotated[bool | None, typer.Option("--will-recorded/--will-not-recorded")]
    = None,
    categories: Annotated[str | None, typer.Option("--categories", help="Staff-defined "
                                                   "categories, ';'-separated.")] = None,
) -> None:
    """Change an entry's status (along the workflow), readiness or staff categories."""
    readiness = {k: v for k, v in (("identity_verified", identity_verified),
                                   ("medical_fit", medical_fit),
                                   ("will_recorded", will_recorded)) if v is not None}
    ws, me = acting()
    info = svc.update_entry(
        ws, actor=me, name=name, key=key, status=status, reason=reason,
        readiness=readiness or None,
        staff_categories=None if categories is None else
        [c.strip() for c in categories.split(";") if c.strip()],
    )
    console.print(f"{safe(name)}: version {info.version}")


@lists_app.command("show")
def show(name: Annotated[str | None, typer.Argument(help="A list (default: all lists).")]
         = None,
         version: Annotated[int | None, typer.Option("--version")] = None,
         ) -> None:
    """The lists with their statuses, or one list's entries."""
    ws, reader = acting()
    if name is None:
        table = Table(title="Exchange lists")
        for col in ("name", "direction", "version", "entries", "statuses", "released"):
            table.add_column(col)
        for s in svc.list_summaries(ws, actor=reader):
            table.add_row(safe(s.name), safe(s.direction), str(s.version), str(s.entries),
                          safe(", ".join(f"{k} {v}" for k, v in sorted(s.statuses.items()))),
                          "yes" if s.released else "no")
        console.print(table)
        return
    table = Table(title=safe(name) + (f" v{version}" if version is not None else ""))
    for col in ("record id", "name", "born", "category", "wounded", "status", "ready"):
        table.add_column(col)
    for e in svc.list_entries(ws, actor=reader, name=name, version=version):
        missing = e.readiness.missing()
        table.add_row(safe(e.key), safe(e.display_name), safe(e.birth_date), safe(e.category),
                      "yes" if e.seriously_wounded else "", safe(e.status.value +
                      (f" ({e.status_reason})" if e.status_reason else "")),
                      "yes" if not missing else f"{len(missing)} missing")
    console.print(table)


@lists_app.command("versions")
def versions(name: NameArg) -> None:
    """Every version of a list: who, when, what, its hash, release."""
    table = Table(title=f"{safe(name)}: versions")
    for col in ("v", "author", "agency", "entries", "note", "hash", "released"):
        table.add_column(col)
    ws, me = acting()
    for v in svc.list_versions(ws, actor=me, name=name):
        table.add_row(str(v.version), safe(v.author), safe(v.author_agency), str(v.entries),
                      safe(v.note), v.content_hash[:16], safe(v.released_at or ""))
    console.print(table)


@lists_app.command("diff")
def diff(name: NameArg, before: int, after: int) -> None:
    """What changed between two versions."""
    ws, me = acting()
    changes = svc.diff_versions(ws, actor=me, name=name, before=before,
                                after=after)
    for ch in changes:
        detail = "; ".join(f"{f}: {a!r} → {b!r}" for f, (a, b) in ch.fields.items())
        console.print(plain(f"{ch.kind:8} {ch.key} {detail}"), markup=False)
    console.print(f"{len(changes)} change(s) from v{before} to v{after}")


@lists_app.command("approve")
def approve(name: NameArg) -> None:
    """Approve the current version for your agency (an Ed25519 signature over its hash)."""
    ws, me = acting()
    state = signoff.approve_list(ws, actor=me, name=name)
    console.print(f"{safe(name)} v{state.version} approved by {safe(me.username)}; still needed: "
                  f"{safe('; '.join(map(str, state.blockers)) or 'nothing')}")


@lists_app.command("signoff")
def signoff_status(name: NameArg) -> None:
    """Who has approved the current version, and what release still needs."""
    ws, me = acting()
    state = signoff.signoff_state(ws, actor=me, name=name)
    console.print(f"{safe(name)} v{state.version} by {safe(state.author)}, hash "
                  f"{state.content_hash[:16]}; required: {safe(', '.join(state.required))}")
    for a in state.approvals:
        console.print(f"  {safe(a.agency)}: {safe(a.username)} "
                      f"({'valid' if a.signature_valid else 'INVALID signature'})")
    waiting = "; ".join(map(str, state.blockers)) or "ready to release"
    console.print("released" if state.released else f"not released: {safe(waiting)}")


@lists_app.command("release")
def release(name: NameArg) -> None:
    """Release the current version to the mediator (refused without every approval)."""
    ws, me = acting()
    state = signoff.release_list(ws, actor=me, name=name)
    console.print(f"{safe(name)} v{state.version} released")


@lists_app.command("export")
def export(
    name: NameArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="File to write.")],
    sign: Annotated[bool, typer.Option("--sign", help="A signed DSSE bundle (list CSV + "
                                       "manifest) instead of plain CSV.")] = False,
) -> None:
    """Export the list: plain CSV (what you may export), or with --sign the released version as
    a signed bundle."""
    ws, reader = acting()
    if sign:
        data = signoff.export_signed_bundle(ws, actor=reader, name=name)
    else:
        data = svc.export_list_csv(ws, actor=reader, name=name).encode()
    try:
        write_private(out, data)  # personal data, or a signed bundle: owner only
    except OSError as err:
        raise UnreadableFile(f"{out}: {err.strerror or err}") from None
    console.print(f"wrote {out} ({len(data)} bytes{', signed' if sign else ''})")


@lists_app.command("rules")
def rules(set_from: Annotated[Path | None, typer.Option("--set", help="JSON rule set to put "
                                                        "in force.")] = None) -> None:
    """Show the priority rules in force, or replace them (rules are data; old sets are kept)."""
    ws, me = acting()
    if set_from is not None:
        svc.set_priority_rules(ws, actor=me, rules=read_rules(set_from))
    console.print_json(json.dumps(rules_to_data(svc.priority_rules(ws)), ensure_ascii=False))


@lists_app.command("plan")
def plan(
    give_list: Annotated[str, typer.Option("--give-list")],
    receive_list: Annotated[str, typer.Option("--receive-list")],
    stages: Annotated[int | None, typer.Option("--stages")] = None,
    stage_sizes: StageSizesOpt = None,
    stage_categories: StageCategoriesOpt = None,
    max_per_stage: Annotated[int | None, typer.Option("--max-per-stage")] = None,
    category_parity: Annotated[bool, typer.Option("--category-parity")] = False,
    total: Annotated[int | None, typer.Option("--total")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--out")] = None,
) -> None:
    """Plan the stages on the workspace's lists (confirmed entries) and store the plan."""
    stages, agreement = agreement_from_options(stage_sizes, stage_categories, stages=stages)
    ws, me = acting()
    plan_id, result = svc.plan_lists(
        ws, actor=me, give=give_list, receive=receive_list, stages=stages,
        max_per_stage=max_per_stage, category_parity=category_parity, total=total,
        agreement=agreement)
    counts = result.counts()
    for k in range(1, stages + 1):
        cells = ", ".join(f"{c} {counts.get((k, c, 'give'), 0)}" for c in CATEGORIES)
        console.print(f"stage {k}: {cells}")
    console.print(f"plan {plan_id}: {result.exchanged} a side, {result.status}, "
                  f"gap {result.mip_gap:.2g}")
    if out is not None:
        write_plan(out, result.assignments)


@lists_app.command("why")
def why(
    record_id: Annotated[str, typer.Argument(help="A record id on the plan.")],
    plan_id: Annotated[int | None, typer.Option("--plan", help="Stored plan (default: "
                                                "newest).")] = None,
) -> None:
    """Why a person has their place in the plan ("why is he 214th?")."""
    ws, me = acting()
    plan = svc.stored_plan(ws, actor=me, plan_id=plan_id)
    found = [a for a in plan.assignments if a.record_id == record_id]
    if not found:
        raise NotFound(f"{record_id} is not on plan {plan.id}")
    for a in found:
        console.print(plain(f"{a.side} {a.record_id}: {a.reason}"), markup=False)


@lists_app.command("substitute")
def substitute(
    plan_id: Annotated[int, typer.Argument(help="Stored plan id.")],
    drop: Annotated[str, typer.Option("--drop")],
    side: Annotated[str, typer.Option("--side")],
    reason: Annotated[str, typer.Option("--reason")],
) -> None:
    """Replace a drop-out in a stored plan; the reason is recorded and audited."""
    if side not in ("give", "receive"):
        raise InvalidInput(f"--side: '{side}' is not give or receive")
    ws, me = acting()
    done = svc.substitute_in_stored_plan(ws, actor=me, plan_id=plan_id,
                                         dropped=drop, side="give" if side == "give"
                                         else "receive", reason=reason)
    console.print(json.dumps(done, ensure_ascii=False), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
