"""One exception tree, each exit code with one meaning, and the README's table of exit codes
saying the same as ``parley.errors`` (issue 15)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from parley import errors

README = Path(__file__).parents[3] / "README.md"

# Siblings that share a code on purpose: one meaning, two ways to reach it.
SAME_MEANING = {5: {"AccessDenied", "CsrfRefused"}, 6: {"ParityViolation", "Infeasible"}}


def _classes() -> list[type[errors.ParleyError]]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, errors.ParleyError) and c.__module__ == errors.__name__]


def test_each_exit_code_has_one_meaning() -> None:
    by_code: dict[int, list[type[errors.ParleyError]]] = {}
    for cls in _classes():
        by_code.setdefault(cls.exit_code, []).append(cls)
    for code, classes in by_code.items():
        roots = {c.__name__ for c in classes
                 if not any(c is not o and issubclass(c, o) for o in classes)}
        assert len(roots) == 1 or roots == SAME_MEANING.get(code), (code, sorted(roots))
    assert errors.LoginRequired.exit_code != errors.LoginExpired.exit_code
    assert len({errors.LoginRequired.exit_code, errors.LoginExpired.exit_code,
                errors.AuthenticationFailed.exit_code, errors.AccessDenied.exit_code,
                errors.WorkspaceNotReady.exit_code}) == 5


def test_the_readme_table_lists_every_exit_code() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| exit | meaning |"):].split("\n\n")[0]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \| ", table, flags=re.MULTILINE)}
    assert {c.exit_code for c in _classes()} | {0, 130} == documented


def test_the_docstring_tree_names_every_class() -> None:
    tree = errors.__doc__ or ""
    missing = [c.__name__ for c in _classes() if c.__name__ not in tree]
    assert missing == []
    for cls in _classes():
        line = next(ln for ln in tree.splitlines() if re.search(rf"\b{cls.__name__}\b", ln))
        code = re.search(rf"{cls.__name__}\s+(\d+)", line)
        if code:  # a subclass line without a code inherits its parent's
            assert int(code.group(1)) == cls.exit_code, line


def test_every_error_class_lives_in_the_one_module() -> None:
    """A subclass elsewhere would be a second tree (one used to answer 500 with exit 9)."""
    import ast

    names = {c.__name__ for c in _classes()}
    root = Path(errors.__file__).parent
    elsewhere = []
    for path in sorted(root.rglob("*.py")):
        if path == Path(errors.__file__):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and b.id in names for b in node.bases):
                elsewhere.append(f"{path.relative_to(root)}: {node.name}")
    assert elsewhere == []
