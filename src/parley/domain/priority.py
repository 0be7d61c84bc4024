"""Priority rules as data: an ordered, editable rule set, and the reason for each person's place.

The staff changes priorities between rounds of talks ("all for all" for the severely wounded, then
the under-25s), so the order is never code: it is a list of rules, each preferring a value of a
field or the earliest/latest value of a date. The seriously wounded and sick always come first
(Third Geneva Convention, Arts. 109–110); that rule is fixed and sits in front of the editable ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from parley.errors import N_, InvalidInput

Order = Literal["earliest", "latest"]
DATE_FIELDS = frozenset({"captivity_start", "birth_date"})
RuleValue = str | bool | date | None


@dataclass(frozen=True, slots=True)
class PriorityRule:
    """One rule: either ``prefer`` a value of ``field`` or ``order`` a date field."""

    field: str
    label: str
    prefer: str | bool | None = None
    order: Order | None = None

    def __post_init__(self) -> None:
        if (self.prefer is None) == (self.order is None):
            raise InvalidInput(
                N_("priority rule '%(label)s': give exactly one of 'prefer' or 'order'"),
                label=self.label,
            )
        if self.order is not None and self.order not in ("earliest", "latest"):
            raise InvalidInput(
                N_("priority rule '%(label)s': order must be 'earliest' or 'latest'"),
                label=self.label,
            )

    def key(self, value: RuleValue) -> tuple[int, int]:
        """A sort key: smaller comes first. Missing values sort last under every rule."""
        if self.prefer is not None:
            if isinstance(self.prefer, bool):
                return (0 if value is self.prefer else 1, 0)
            return (0 if str(value or "").lower() == str(self.prefer).lower() else 1, 0)
        if not isinstance(value, date):
            return (1, 0)
        ordinal = value.toordinal()
        return (0, ordinal if self.order == "earliest" else -ordinal)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "label": self.label}
        if self.prefer is not None:
            out["prefer"] = self.prefer
        else:
            out["order"] = self.order
        return out


TREATY_RULE = PriorityRule(
    field="seriously_wounded", prefer=True,
    label="seriously wounded and sick first (GC III Arts. 109–110, fixed)",
)

DEFAULT_RULES: tuple[PriorityRule, ...] = (
    PriorityRule(field="category", prefer="civilian", label="civilians first"),
    PriorityRule(field="captivity_start", order="earliest", label="longest in captivity first"),
    PriorityRule(field="birth_date", order="earliest", label="oldest first"),
)


def rules_from_data(data: object) -> tuple[PriorityRule, ...]:
    """Read a rule set from JSON-shaped data: a list of ``{field, label, prefer|order}``."""
    if isinstance(data, Mapping) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise InvalidInput(N_("priority rules must be a list of {field, label, prefer|order}"))
    rules: list[PriorityRule] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("field"), str):
            raise InvalidInput(N_("priority rule %(i)s: needs a 'field' (a column name)"), i=i)
        prefer = item.get("prefer")
        if prefer is not None and not isinstance(prefer, str | bool):
            raise InvalidInput(N_("priority rule %(i)s: 'prefer' must be text or true/false"), i=i)
        order = item.get("order")
        if order is not None and order not in ("earliest", "latest"):
            raise InvalidInput(
                N_("priority rule %(i)s: 'order' must be 'earliest' or 'latest'"),
                i=i,
            )
        field = item["field"]
        rules.append(
            PriorityRule(
                field=field,
                label=str(item.get("label") or f"{field} {order or prefer}"),
                prefer=prefer,
                order=order,
            )
        )
    return tuple(rules)


def rules_to_data(rules: Sequence[PriorityRule]) -> list[dict[str, object]]:
    return [rule.to_dict() for rule in rules]


def effective_rules(rules: Sequence[PriorityRule]) -> tuple[PriorityRule, ...]:
    """The treaty rule first, then the staff's rules (a repeated treaty rule is dropped)."""
    return (TREATY_RULE, *(r for r in rules if r != TREATY_RULE))


def _show(value: RuleValue) -> str:
    if value is None or value == "":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def explain_place(
    *,
    rank: int,
    total: int,
    side: str,
    rules: Sequence[PriorityRule],
    mine: Sequence[RuleValue],
    ahead: Sequence[RuleValue] | None,
    ahead_id: str | None,
) -> str:
    """Why a person is where they are: the first rule that separates them from the one ahead."""
    head = f"{_ordinal(rank)} of {total} on the {side} side"
    if ahead is None or ahead_id is None:
        return f"{head}: first under the rules"
    for number, (rule, a, b) in enumerate(zip(rules, ahead, mine, strict=True)):
        if rule.key(a) != rule.key(b):
            return (
                f"{head}: after {ahead_id} by rule {number} '{rule.label}' "
                f"({rule.field} {_show(b)} vs {_show(a)})"
            )
    return f"{head}: level with {ahead_id} on every rule; record id decides"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
