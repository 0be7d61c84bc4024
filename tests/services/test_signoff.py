"""Sign-off (two-person rule) and signed bundles; plus the stateful test of the rule itself."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select, update

from parley.adapters.sql.exchange_tables import (
    ExchangeList,
    ListApproval,
    ListEntryRow,
    ListVersion,
)
from parley.adapters.sql.store import Store
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.lists import Entry, approval_message
from parley.errors import AccessDenied, Conflict, IntegrityError
from parley.services import lists as svc
from parley.services import signoff
from parley.services.keys import agency_public_key
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace
from parley.trust.bundle import verify_bundle
from parley.trust.errors import TrustError

REQUIRED = ("MOD", "SSU", "OMB")
USERS = (
    Actor("mod-a", Role.ANALYST, "MOD"), Actor("mod-b", Role.ANALYST, "MOD"),
    Actor("ssu-a", Role.ANALYST, "SSU"), Actor("omb-a", Role.ANALYST, "OMB"),
    Actor("omb-coord", Role.COORDINATOR, "OMB"),  # edits and approves: never both on a version
    Actor("hq-coord", Role.COORDINATOR, "HQ"), Actor("diu-a", Role.ANALYST, "DIU"),
)
EDITORS = (*tuple(u for u in USERS if u.role == Role.COORDINATOR), LOCAL_OPERATOR)


def _entries(n: int) -> list[Entry]:
    return [Entry(key=f"K{i}", display_name=f"Person {i}", family_name=f"F{i}",
                  birth_date="1991-02-03") for i in range(n)]


def _approve_all(ws: Workspace, name: str) -> None:
    for user in ("mod-a", "ssu-a", "omb-a"):
        actor = next(u for u in USERS if u.username == user)
        signoff.approve_list(ws, actor=actor, name=name)


def test_release_needs_every_agency_and_an_edit_voids_approvals(ws: Workspace) -> None:
    svc.create_list(ws, actor=LOCAL_OPERATOR, name="L", direction="receive",
                    required_agencies=REQUIRED)
    svc.add_entries(ws, actor=LOCAL_OPERATOR, name="L", entries=_entries(3))
    signoff.approve_list(ws, actor=USERS[0], name="L")
    signoff.approve_list(ws, actor=USERS[2], name="L")
    with pytest.raises(Conflict, match="no approval from OMB"):
        signoff.release_list(ws, actor=LOCAL_OPERATOR, name="L")
    with pytest.raises(AccessDenied, match="DIU is not among"):
        signoff.approve_list(ws, actor=USERS[6], name="L")
    with pytest.raises(Conflict, match="approved version 1 already"):
        signoff.approve_list(ws, actor=USERS[0], name="L")
    svc.update_entry(ws, actor=USERS[4], name="L", key="K1", status="confirmed")  # omb-coord
    state = signoff.signoff_state(ws, actor=LOCAL_OPERATOR, name="L")
    assert state.version == 2 and state.approvals == ()
    assert set(map(str, state.blockers)) == {"no approval from MOD", "no approval from SSU",
                                   "no approval from OMB"}
    with pytest.raises(Conflict, match="may not approve it"):
        signoff.approve_list(ws, actor=USERS[4], name="L")  # the author
    _approve_all(ws, "L")
    state = signoff.release_list(ws, actor=LOCAL_OPERATOR, name="L")
    assert state.released
    with ws.store.reading() as tx:
        from parley.adapters.sql.tables import AuditEventRow

        actions = [a for a in tx.scalars(select(AuditEventRow.action)
                                          .where(AuditEventRow.target == "list:L"))]
    assert actions.count("list.approve") == 5 and actions[-1] == "list.release"


def test_changed_rows_or_forged_approvals_do_not_count(ws: Workspace) -> None:
    svc.create_list(ws, actor=LOCAL_OPERATOR, name="L", direction="give",
                    required_agencies=REQUIRED)
    svc.add_entries(ws, actor=LOCAL_OPERATOR, name="L", entries=_entries(2))
    signoff.approve_list(ws, actor=USERS[0], name="L")
    signoff.approve_list(ws, actor=USERS[2], name="L")
    with ws.store.transaction() as tx:  # a forged OMB approval, signed with the wrong key
        lst = tx.scalars(select(ExchangeList)).one()
        ver = tx.scalars(select(ListVersion)).one()
        from parley.services.keys import agency_private_key

        bad = agency_private_key(ws, "MOD").sign(approval_message(
            list_name="L", version=1, content_hash=ver.content_hash, agency="OMB",
            username="omb-a")).hex()
        tx.add(ListApproval(list_id=lst.id, version=1, content_hash=ver.content_hash,
                            agency_code="OMB", username="omb-a", signature=bad))
    with pytest.raises(Conflict, match="no approval from OMB"):
        signoff.release_list(ws, actor=LOCAL_OPERATOR, name="L")
    with ws.store.transaction() as tx:  # an edit behind the service's back
        tx.execute(update(ListEntryRow).values(data={**_entries(1)[0].as_data(),
                                                     "family_name": "Changed"})
                   .where(ListEntryRow.entry_key == "K0"))
    with pytest.raises(IntegrityError, match="do not match the recorded content hash"):
        signoff.release_list(ws, actor=LOCAL_OPERATOR, name="L")


def test_signed_bundle_verifies_and_any_change_fails(ws: Workspace) -> None:
    svc.create_list(ws, actor=LOCAL_OPERATOR, name="L", direction="receive",
                    required_agencies=REQUIRED)
    svc.add_entries(ws, actor=LOCAL_OPERATOR, name="L", entries=_entries(4))
    with pytest.raises(Conflict, match="not released"):
        signoff.export_signed_bundle(ws, actor=LOCAL_OPERATOR, name="L")
    _approve_all(ws, "L")
    signoff.release_list(ws, actor=LOCAL_OPERATOR, name="L")
    data = signoff.export_signed_bundle(ws, actor=LOCAL_OPERATOR, name="L")
    keys = {code: agency_public_key(ws, code) for code in REQUIRED}
    bundle = verify_bundle(data, keys)
    assert bundle.manifest["list"] == "L" and bundle.manifest["version"] == 1
    assert bundle.manifest["counts"]["military"] == 4
    assert bundle.manifest["checkpoint"]["note"].startswith(bundle.manifest["checkpoint"]["note"]
                                                            .split("\n")[0])
    assert bundle.manifest["checkpoint"]["size"] > 0
    assert sorted(bundle.signers) == sorted(REQUIRED)
    assert bundle.list_csv.splitlines()[0].startswith("record_id,family_name")
    tampered = data.replace(b'"signatures"', b'"signatureZ"')
    with pytest.raises(TrustError):
        verify_bundle(tampered, keys)
    body = json.loads(data)
    body["payloadType"] = "text/plain"
    with pytest.raises(TrustError):
        verify_bundle(json.dumps(body).encode(), keys)


# ------------------------------------------------------------------ the stateful test

class SignoffMachine(RuleBasedStateMachine):
    """Random edits, approvals and releases by random users. Model: who approved the current
    version. Invariants: a release happens exactly when every required agency has an approval
    by a distinct non-author on the current version; every released version's stored approvals
    prove it; an edit leaves the new version with no approvals."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        cfg = Settings(database_url=f"sqlite:///{(root / 'p.db').as_posix()}",
                       data_dir=root / "data", secret_key="test-secret")
        self.ws = Workspace(store=Store.from_url(cfg.effective_database_url), settings=cfg)
        init_workspace(self.ws, actor=LOCAL_OPERATOR)
        svc.create_list(self.ws, actor=LOCAL_OPERATOR, name="L", direction="receive",
                        required_agencies=REQUIRED)
        svc.add_entries(self.ws, actor=LOCAL_OPERATOR, name="L", entries=_entries(3))
        self.version = 1
        self.author = LOCAL_OPERATOR.username
        self.approved: dict[str, str] = {}  # username -> agency, current version
        self.released = False
        self.edits = 0

    def teardown(self) -> None:
        self.ws.store.engine.dispose()
        self.tmp.cleanup()

    @rule(editor=st.sampled_from(EDITORS), tag=st.sampled_from(["a", "b", "c", "d"]))
    def edit(self, editor: Actor, tag: str) -> None:
        self.edits += 1
        svc.update_entry(self.ws, actor=editor, name="L", key="K0",
                         staff_categories=[tag, f"edit-{self.edits}"])
        self.version += 1
        self.author = editor.username
        self.approved = {}
        self.released = False
        state = signoff.signoff_state(self.ws, actor=LOCAL_OPERATOR, name="L")
        assert state.version == self.version and state.approvals == ()

    @rule(user=st.sampled_from(USERS))
    def approve(self, user: Actor) -> None:
        allowed = (user.agency in REQUIRED and user.username != self.author
                   and user.username not in self.approved)
        try:
            signoff.approve_list(self.ws, actor=user, name="L")
        except (Conflict, AccessDenied):
            assert not allowed, f"{user.username} was refused although allowed"
            return
        assert allowed, f"{user.username} approved although not allowed"
        self.approved[user.username] = user.agency

    @precondition(lambda self: not self.released)
    @rule()
    def release(self) -> None:
        should = set(REQUIRED) <= set(self.approved.values())
        try:
            signoff.release_list(self.ws, actor=LOCAL_OPERATOR, name="L")
        except Conflict:
            assert not should, "release refused although every agency approved"
            return
        assert should, "released without the required approvals"
        self.released = True

    @invariant()
    def released_versions_carry_their_approvals(self) -> None:
        with self.ws.store.reading() as tx:
            versions = tx.scalars(select(ListVersion).where(ListVersion.released_at.is_not(None)))
            for v in versions:
                rows = tx.scalars(select(ListApproval).where(ListApproval.version == v.version,
                                                             ListApproval.list_id == v.list_id))
                good: dict[str, set[str]] = {}
                for a in rows:
                    message = approval_message(list_name="L", version=a.version,
                                               content_hash=a.content_hash,
                                               agency=a.agency_code, username=a.username)
                    agency_public_key(self.ws, a.agency_code).verify(
                        bytes.fromhex(a.signature), message)
                    assert a.content_hash == v.content_hash
                    assert a.username != v.author, "the author approved"
                    good.setdefault(a.agency_code, set()).add(a.username)
                assert set(REQUIRED) <= set(good), f"v{v.version} released without approvals"
                users = [u for codes in good.values() for u in codes]
                assert len(users) == len(set(users)), "one user approved for two agencies"


SignoffMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_signoff_two_person_rule = SignoffMachine.TestCase
