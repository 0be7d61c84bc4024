"""`parley names …`: ask the name engine how a name may be written and whether two names match.

Needs no workspace: the name engine is pure, so these commands work before `parley init`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from parley.errors import InvalidInput, UnreadableFile
from parley.interfaces.cli.common import plain, progress_bar
from parley.names import (
    SAME_THRESHOLD,
    compare_many,
    compare_names,
    normalize_name,
    parse_name,
    variants,
)

_CHUNK = 100_000

names_app = typer.Typer(
    help="Name engine: spellings of a name across scripts and standards, and name comparison.",
    no_args_is_help=True,
)


@names_app.command("variants")
def variants_command(
    name: str = typer.Argument(..., help="A name, one word or a full name."),
) -> None:
    """Print every form of NAME Parley knows, one per line, then its keys."""
    if not name.strip():
        raise InvalidInput("name: empty; give a name such as \"Олександр Ковальов\"")
    for form in variants(name):
        typer.echo(plain(form))
    parts = parse_name(name)
    keys = normalize_name(parts.family, parts.given, parts.patronymic)
    typer.echo(
        f"# keys: family={keys.family_key} given={keys.given_key} "
        f"patronymic={keys.patronymic_key} sex={keys.sex_hint or '-'} script={keys.script}"
    )


@names_app.command("compare")
def compare_command(
    a: str | None = typer.Argument(None, help="First name."),
    b: str | None = typer.Argument(None, help="Second name."),
    pairs: Path | None = typer.Option(
        None,
        "--pairs",
        help="File of pairs, two tab-separated columns, no header; writes a, b, score, same.",
    ),
) -> None:
    """Compare two names: prints score (0–1), verdict and reason on one line.

    With --pairs FILE, writes one line per pair: a<TAB>b<TAB>score<TAB>same, where same is 1
    when the score reaches the threshold (0.80) and 0 otherwise. Both print the score with
    four decimals, and give one pair the same score.
    """
    if pairs is not None:
        if a is not None or b is not None:
            raise InvalidInput("give either two names or --pairs FILE, not both")
        _compare_file(pairs)
        return
    if a is None or b is None:
        raise InvalidInput("give two names to compare, or --pairs FILE")
    result = compare_names(a.strip(), b.strip())  # as --pairs reads its cells
    verdict = "same" if result.same else "different"
    # Four decimals, as --pairs writes them: one pair gets one printed score either way.
    typer.echo(plain(f"{result.score:.4f}\t{verdict}\t{result.reason}").replace("\\t", "\t"))


def _compare_file(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise UnreadableFile(f"{path}: no such file") from err
    except UnicodeDecodeError as err:
        raise UnreadableFile(f"{path}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise UnreadableFile(f"{path}: cannot read ({err.strerror})") from err
    lines = text.splitlines()
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise InvalidInput(
                f"{path}, line {number}: expected 2 tab-separated columns (a, b), "
                f"found {len(cells)}"
            )
        rows.append((cells[0].strip(), cells[1].strip()))
    out: list[str] = []
    with progress_bar(transient=True) as progress:
        task = progress.add_task("comparing names", total=len(rows))
        # The bulk path (equal scores to compare_names), in chunks so progress moves.
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            for (x, y), score in zip(chunk, compare_many(chunk).tolist(), strict=True):
                same = 1 if score >= SAME_THRESHOLD else 0
                out.append(f"{plain(x)}\t{plain(y)}\t{score:.4f}\t{same}")
            progress.update(task, completed=start + len(chunk))
    typer.echo("\n".join(out) if out else "", nl=bool(out))


def register(app: typer.Typer) -> None:
    """Attach `parley names` to the main app."""
    app.add_typer(names_app, name="names")
