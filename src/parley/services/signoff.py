"""Sign-off (the two-person rule) and signed bundles for the mediator.

A list version is released only when every required agency has approved it, each by a different
user who is not the version's author. An approval is an Ed25519 signature with the agency's key
over the version's content hash; release re-hashes the stored entries and re-verifies every
signature, so an edit (a new hash) or a forged or copied approval never counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.lists import (
    Approval,
    approval_message,
    counts_by_category,
    list_hash,
    release_blockers,
)
from parley.domain.policy import Op
from parley.errors import N_, AccessDenied, Conflict, IntegrityError, Text
from parley.services.journal import record_event
from parley.services.keys import agency_private_key, agency_public_key, agency_signer
from parley.services.list_access import shown_entries
from parley.services.list_store import entries_at as _entries_at
from parley.services.list_store import list_row as _list_row
from parley.services.list_store import version_row as _version_row
from parley.services.list_views import list_csv
from parley.services.ports import Tx
from parley.services.ports.lists import ListHead, VersionRow
from parley.services.workspace import Workspace


@dataclass(frozen=True, slots=True)
class SignoffState:
    list_name: str
    version: int
    content_hash: str
    author: str
    required: tuple[str, ...]
    approvals: tuple[Approval, ...]
    blockers: tuple[Text, ...]  # templates and values: each reader's language
    released: bool


def _approvals(ws: Workspace, tx: Tx, lst: ListHead, version: int) -> list[Approval]:
    out: list[Approval] = []
    for row in ws.repos.list_approvals.of_version(tx, lst.id, version):
        message = approval_message(list_name=lst.name, version=row.version,
                                   content_hash=row.content_hash, agency=row.agency_code,
                                   username=row.username)
        try:
            agency_public_key(ws, row.agency_code).verify(bytes.fromhex(row.signature), message)
            valid = True
        except (InvalidSignature, ValueError):
            valid = False
        out.append(Approval(agency=row.agency_code, username=row.username, version=row.version,
                            content_hash=row.content_hash, signature_valid=valid))
    return out


def _fresh_hash(tx: Tx, lst: ListHead, version: VersionRow) -> str:
    """Re-hash the stored entries; a mismatch means someone changed rows behind the service."""
    digest = list_hash(lst.name, lst.direction, _entries_at(tx, lst, version.version))
    if digest != version.content_hash:
        raise IntegrityError(N_("list '%(name)s' version %(version)s: stored entries do not "
                                "match the recorded content hash"),
                             name=lst.name, version=version.version)
    return digest


def _state(ws: Workspace, tx: Tx, lst: ListHead) -> SignoffState:
    version = _version_row(tx, lst)
    approvals = _approvals(ws, tx, lst, version.version)
    blockers = release_blockers(required=lst.required_agencies, approvals=approvals,
                                version=version.version, content_hash=version.content_hash,
                                author=version.author)
    return SignoffState(
        list_name=lst.name, version=version.version, content_hash=version.content_hash,
        author=version.author, required=tuple(lst.required_agencies),
        approvals=tuple(approvals), blockers=tuple(blockers),
        released=version.released_at is not None,
    )


def signoff_state(ws: Workspace, *, actor: Actor, name: str) -> SignoffState:
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        return _state(ws, tx, _list_row(tx, name))


def approve_list(ws: Workspace, *, actor: Actor, name: str, version: int | None = None,
                 ) -> SignoffState:
    """Approve the current version for the actor's agency: sign its content hash."""
    actor.require(Action.APPROVE_LIST)
    key = agency_private_key(ws, actor.agency)  # outside the transaction: may create the file
    with ws.store.transaction() as tx:
        lst = _list_row(tx, name)
        if lst.version == 0:
            raise Conflict(N_("list '%(name)s' is empty: nothing to approve"), name=name)
        if version is not None and version != lst.version:
            raise Conflict(N_("list '%(name)s' is at version %(current)s, not %(version)s: approve "
                              "what is there now"), name=name, current=lst.version,
                           version=version)
        current = _version_row(tx, lst)
        if actor.agency not in lst.required_agencies:
            raise AccessDenied(N_("%(agency)s is not among the agencies that sign off list "
                                  "'%(name)s' (%(agencies)s)"), agency=actor.agency, name=name,
                               agencies=", ".join(lst.required_agencies))
        if actor.username == current.author:
            raise Conflict(N_("%(username)s wrote version %(version)s of '%(name)s' and may not "
                              "approve it (two-person rule)"), username=actor.username,
                           version=current.version, name=name)
        earlier = ws.repos.list_approvals.by_user(tx, lst.id, current.version, actor.username)
        if earlier is not None:
            raise Conflict(N_("%(username)s approved version %(version)s already (for %(agency)s)"),
                           username=actor.username, version=current.version,
                           agency=earlier.agency_code)
        digest = _fresh_hash(tx, lst, current)
        message = approval_message(list_name=lst.name, version=current.version,
                                   content_hash=digest, agency=actor.agency,
                                   username=actor.username)
        signature = key.sign(message).hex()
        ws.repos.list_approvals.add(tx, list_id=lst.id, version=current.version,
                                    content_hash=digest, agency_code=actor.agency,
                                    username=actor.username, signature=signature)
        record_event(tx, actor=actor, action="list.approve", target=f"list:{name}", payload={
            "version": current.version, "content_hash": digest, "agency": actor.agency,
            "signature": signature,
        })
        return _state(ws, tx, lst)


def release_list(ws: Workspace, *, actor: Actor, name: str) -> SignoffState:
    """Release the current version to the mediator, if every required approval holds."""
    actor.require(Action.RELEASE_LIST)
    with ws.store.transaction() as tx:
        lst = _list_row(tx, name)
        if lst.version == 0:
            raise Conflict(N_("list '%(name)s' is empty: nothing to release"), name=name)
        current = _version_row(tx, lst)
        if current.released_at is not None:
            raise Conflict(N_("list '%(name)s' version %(version)s is released already"),
                           name=name, version=current.version)
        _fresh_hash(tx, lst, current)
        state = _state(ws, tx, lst)
        if state.blockers:
            raise Conflict(N_("list '%(name)s' version %(version)s cannot be released: "
                              "%(blockers)s"), name=name, version=current.version,
                           blockers=state.blockers)
        ws.repos.list_versions.release(tx, current.id, at=utcnow(), by=actor.username)
        record_event(tx, actor=actor, action="list.release", target=f"list:{name}", payload={
            "version": current.version, "content_hash": current.content_hash,
            "approvals": [[a.agency, a.username] for a in state.approvals if a.signature_valid],
        })
        return _state(ws, tx, lst)


def may_carry_bundle(actor: Actor) -> bool:
    """Who may carry a signed bundle out: whoever releases lists, and the mediator they are
    released to (a reader of lists who co-signs checkpoints, as the bundle writes one)."""
    return actor.may(Action.RELEASE_LIST) or (
        actor.may(Action.READ_LISTS) and actor.may(Action.SIGN_CHECKPOINT))


def export_signed_bundle(ws: Workspace, *, actor: Actor, name: str) -> bytes:
    """The released version as a DSSE bundle: list CSV + manifest (name, version, counts per
    category, the signed checkpoint it is anchored in), one signature per sign-off agency."""
    from parley.services.audit import latest_checkpoint, write_checkpoint
    from parley.trust.bundle import build_bundle

    if not may_carry_bundle(actor):
        actor.require(Action.RELEASE_LIST)
    with ws.store.reading() as tx:
        lst = _list_row(tx, name)
        if lst.version == 0:
            raise Conflict(N_("list '%(name)s' is empty: nothing to export"), name=name)
        current = _version_row(tx, lst)
        if current.released_at is None and not actor.may(Action.RELEASE_LIST):
            # The mediator learns nothing of a version not released to them.
            raise Conflict(N_("list '%(name)s' has no newly released version to export"),
                           name=name)
        if current.released_at is None:
            state = _state(ws, tx, lst)
            why: tuple[Text, ...] | Text = state.blockers or Text(
                N_("release it first ('parley lists release')"))
            raise Conflict(N_("list '%(name)s' version %(version)s is not released: %(why)s"),
                           name=name, version=current.version, why=why)
        entries = _entries_at(tx, lst)
        if len(shown_entries(tx, actor, lst, current.version, Op.EXPORT)) < len(entries):
            # The bundle is signed whole (its hash covers every entry): only a reader who may
            # export every entry may carry it out.
            raise AccessDenied(N_("you may not export list '%(name)s' as a signed bundle"),
                               name=name)
        _fresh_hash(tx, lst, current)
        agencies = list(lst.required_agencies)
        version, digest = current.version, current.content_hash
    signers = [agency_signer(ws, code) for code in agencies]
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="list.export", target=f"list:{name}",
                     payload={"version": version, "content_hash": digest,
                              "signers": agencies})
    checkpoint = write_checkpoint(ws, actor=actor)
    anchor = latest_checkpoint(ws) or checkpoint
    manifest = {
        "list": name, "direction": lst.direction, "version": version, "content_hash": digest,
        "counts": counts_by_category(entries), "entries": len(entries),
        "checkpoint": {"size": anchor.size, "root_hash": anchor.root_hash, "note": anchor.note},
        "signing_agencies": agencies,
    }
    return build_bundle(manifest, list_csv(entries), signers)
