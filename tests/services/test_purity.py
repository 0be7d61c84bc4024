"""Services reach storage only through repositories (``parley.services.ports``).

A service module may not import ``parley.adapters.sql`` or ``sqlalchemy``. ``NOT_YET`` names the
modules still being moved behind repositories; it may only shrink: a listed module that is
already clean fails the test too, so the list never claims more debt than there is.
"""

from __future__ import annotations

from pathlib import Path

import parley
from tests.domain.test_purity import _imports

FORBIDDEN = ("sqlalchemy", "parley.adapters.sql")

NOT_YET: frozenset[str] = frozenset()


def _offences(path: Path) -> list[str]:
    return sorted(name for name in _imports(path)
                  if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN))


def test_services_reach_storage_only_through_repositories() -> None:
    root = Path(parley.__file__).parent / "services"
    offenders: list[str] = []
    clean_but_listed: list[str] = []
    for path in sorted(root.rglob("*.py")):
        name = str(path.relative_to(root))
        bad = _offences(path)
        if bad and name not in NOT_YET:
            offenders.append(f"services/{name} imports {', '.join(bad)}")
        elif not bad and name in NOT_YET:
            clean_but_listed.append(name)
    assert offenders == [], "use a repository from parley.services.ports instead"
    assert clean_but_listed == [], "remove these from NOT_YET: they are clean now"
