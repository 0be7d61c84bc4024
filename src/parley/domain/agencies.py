"""The agencies of a coordination staff, and the neutral mediator."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    code: str
    name: str
    intelligence: bool = False


DEFAULT_AGENCIES: tuple[AgencyInfo, ...] = (
    AgencyInfo("MOD", "Ministry of Defence"),
    AgencyInfo("DIU", "Defence Intelligence (military intelligence)", intelligence=True),
    AgencyInfo("SSU", "Security Service", intelligence=True),
    AgencyInfo("FIS", "Foreign Intelligence Service", intelligence=True),
    AgencyInfo("MOI", "Ministry of Internal Affairs"),
    AgencyInfo("OMB", "Ombudsman's Office"),
    AgencyInfo("HQ", "Coordination Headquarters"),
    AgencyInfo("MED", "Neutral mediator"),
    AgencyInfo("LOCAL", "Local operator (command line)"),
)
INTELLIGENCE_AGENCIES = frozenset(a.code for a in DEFAULT_AGENCIES if a.intelligence)
