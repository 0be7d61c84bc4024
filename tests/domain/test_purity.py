"""The domain core and the names library import no database, web, file-format or linkage code."""

from __future__ import annotations

import ast
from pathlib import Path

import parley

FORBIDDEN = (
    "sqlalchemy", "alembic", "fastapi", "starlette", "jinja2", "httpx", "uvicorn", "splink",
    "duckdb", "pyspark", "pandas", "openpyxl", "typer", "rich", "parley.adapters",
    "parley.services", "parley.interfaces", "parley.bootstrap",
)
PURE_PACKAGES = ("domain", "names")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_pure_packages_import_no_io_layers() -> None:
    root = Path(parley.__file__).parent
    offenders = []
    checked = 0
    for package in PURE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            checked += 1
            for name in _imports(path):
                if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN):
                    offenders.append(f"{path.relative_to(root)} imports {name}")
    assert checked > 0
    assert offenders == []
