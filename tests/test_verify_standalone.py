"""``parley-verify`` must run with nothing of Parley but ``parley.trust`` and ``parley.verify``,
and nothing outside the standard library but ``cryptography``: a mediator installs only that."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import parley

SRC = Path(parley.__file__).parent
STANDALONE = [*sorted((SRC / "trust").glob("*.py")), SRC / "verify.py", SRC / "__init__.py"]


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_trust_and_verify_import_only_stdlib_cryptography_and_themselves() -> None:
    stdlib = sys.stdlib_module_names
    offenders = []
    for path in STANDALONE:
        for module in _imported_modules(path):
            top = module.split(".")[0]
            allowed = (top in stdlib or top == "cryptography" or module == "__future__"
                       or module.startswith(("parley.trust", "parley.verify")))
            if not allowed:
                offenders.append(f"{path.name}: {module}")
    assert offenders == []
    assert len(STANDALONE) >= 8


def test_verifier_runs_without_the_rest_of_parley(tmp_path: Path) -> None:
    """Copy only parley/__init__.py, parley/trust and parley/verify.py to a bare folder and run
    the verifier from there in isolated mode, with Parley's own source tree blocked."""
    bare = tmp_path / "bare" / "parley"
    (bare / "trust").mkdir(parents=True)
    for path in STANDALONE:
        relative = path.relative_to(SRC)
        (bare / relative).write_bytes(path.read_bytes())
    probe = f"""
import sys
sys.path.insert(0, {str(tmp_path / 'bare')!r})
BLOCKED = {{'sqlalchemy', 'pydantic', 'typer', 'rich', 'fastapi'}}
class Block:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split('.')[0] in BLOCKED:
            raise ImportError(name)
        return None
sys.meta_path.insert(0, Block())
from parley.verify import run
import parley
assert parley.__file__.startswith({str(tmp_path)!r}), parley.__file__
code, line = run(["checkpoint", "missing.txt", "--key", "HQ+00000000+AA=="])
assert code == 1, line
loaded = sorted(m for m in sys.modules if m == "parley" or m.startswith("parley."))
print(",".join(loaded))
"""
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True,
                            timeout=60, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.strip().split(","))
    assert "parley.verify" in loaded and "parley.trust.merkle" in loaded
    assert all(m in {"parley", "parley.verify"} or m.startswith("parley.trust") for m in loaded)
