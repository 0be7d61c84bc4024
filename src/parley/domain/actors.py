"""Who acts, and the first role model: what each role may do.

Field-level need-to-know (which fields of which items a role and agency may read) is the access
policy's job; this table answers the coarser question "may this role perform this action at all".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from parley.errors import N_, AccessDenied, Term


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    LOGISTICS = "logistics"
    MEDIATOR = "mediator"
    AUDITOR = "auditor"
    FAMILY_LIAISON = "family_liaison"  # the ombudsman's office: relatives' inquiries and letters
    OPERATOR = "operator"  # the local CLI account


class Action(StrEnum):
    INGEST = "ingest"
    SEARCH_REGISTRY = "search_registry"
    READ_RECORD = "read_record"
    RESOLVE = "resolve"
    REVIEW_MATCH = "review_match"
    RESOLVE_CONFLICT = "resolve_conflict"
    MANAGE_LISTS = "manage_lists"
    APPROVE_LIST = "approve_list"
    RELEASE_LIST = "release_list"
    READ_LISTS = "read_lists"
    PLAN = "plan"
    HANDOVER = "handover"
    READ_AUDIT = "read_audit"
    SIGN_CHECKPOINT = "sign_checkpoint"
    MANAGE_USERS = "manage_users"
    READ_INQUIRIES = "read_inquiries"
    MANAGE_INQUIRIES = "manage_inquiries"


_ALL = frozenset(Action)
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: _ALL,
    Role.OPERATOR: _ALL,
    Role.COORDINATOR: frozenset(
        {
            Action.INGEST, Action.SEARCH_REGISTRY, Action.READ_RECORD, Action.RESOLVE,
            Action.REVIEW_MATCH, Action.RESOLVE_CONFLICT, Action.MANAGE_LISTS,
            Action.APPROVE_LIST, Action.RELEASE_LIST, Action.READ_LISTS, Action.PLAN,
            Action.READ_AUDIT, Action.SIGN_CHECKPOINT, Action.READ_INQUIRIES,
            Action.MANAGE_INQUIRIES,
        }
    ),
    Role.ANALYST: frozenset(
        {
            Action.INGEST, Action.SEARCH_REGISTRY, Action.READ_RECORD, Action.RESOLVE,
            Action.REVIEW_MATCH, Action.RESOLVE_CONFLICT, Action.READ_LISTS, Action.APPROVE_LIST,
            Action.READ_INQUIRIES, Action.MANAGE_INQUIRIES,
        }
    ),
    Role.LOGISTICS: frozenset({Action.READ_LISTS, Action.HANDOVER, Action.SEARCH_REGISTRY}),
    Role.MEDIATOR: frozenset({Action.READ_LISTS, Action.SIGN_CHECKPOINT}),
    Role.AUDITOR: frozenset({Action.READ_AUDIT}),
    Role.FAMILY_LIAISON: frozenset({Action.READ_INQUIRIES, Action.MANAGE_INQUIRIES}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or the local operator) on whose behalf a service call runs."""

    username: str
    role: Role
    agency: str
    user_id: int | None = None

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise AccessDenied(
                N_("%(username)s (%(role)s, %(agency)s) may not %(action)s"),
                username=self.username, role=self.role, agency=self.agency,
                action=Term(action.value),
            )


LOCAL_OPERATOR = Actor(username="local-operator", role=Role.OPERATOR, agency="LOCAL")
