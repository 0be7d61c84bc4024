"""Incidents of the exchange day: delays, route changes, security threats, medical emergencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from parley.errors import N_, InvalidInput


class IncidentKind(StrEnum):
    DELAY = "delay"
    ROUTE_CHANGE = "route_change"
    SECURITY_THREAT = "security_threat"
    MEDICAL_EMERGENCY = "medical_emergency"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Incident:
    stage: int
    kind: IncidentKind
    severity: Severity
    occurred_at: datetime
    description: str

    @classmethod
    def parse(cls, *, stage: int, kind: str, severity: str, occurred_at: datetime,
              description: str) -> Incident:
        try:
            the_kind = IncidentKind(kind.strip().lower().replace("-", "_").replace(" ", "_"))
        except ValueError:
            raise InvalidInput(
                N_("incident kind '%(kind)s' is not one of %(items)s"),
                kind=kind, items=', '.join(k.value for k in IncidentKind),
            ) from None
        try:
            the_severity = Severity(severity.strip().lower())
        except ValueError:
            raise InvalidInput(
                N_("severity '%(severity)s' is not one of %(items)s"),
                severity=severity, items=', '.join(s.value for s in Severity),
            ) from None
        return cls(stage=stage, kind=the_kind, severity=the_severity, occurred_at=occurred_at,
                   description=description.strip())

    def as_data(self) -> dict[str, object]:
        return {"kind": self.kind.value, "severity": self.severity.value,
                "time": self.occurred_at.isoformat(timespec="seconds"),
                "description": self.description}
