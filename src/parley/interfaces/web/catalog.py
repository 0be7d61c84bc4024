"""The message catalog: what the interface says, extracted from templates and code.

``python -m parley.interfaces.web.catalog`` (``make messages``) extracts every marked message
(``{% trans %}``, ``_()`` in templates; ``N_()``, ``gettext()`` in code) and merges it into each
language's ``.po`` file, keeping the translations already there; a new message arrives empty,
and ``tests/interfaces/web/test_i18n.py`` fails until someone translates it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from parley.interfaces.web.i18n import LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parents[2]  # src/parley
METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    """Every message the interface can show, with where it comes from."""
    catalog = Catalog(project="Parley", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS,
    ):
        if isinstance(message, tuple) and not message[0]:
            continue
        if message == "":
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.is_file():
        return Catalog(locale=language, project="Parley", charset="utf-8")
    with path.open("rb") as po:
        return read_po(po, locale=language)


def untranslated(language: str) -> list[str]:
    """Messages the interface shows that the language's catalog does not translate."""
    catalog = read(language)
    missing = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update() -> dict[str, int]:
    """Merge the extracted messages into every catalog; returns the untranslated counts."""
    template = extract()
    counts: dict[str, int] = {}
    for language in LANGUAGES:
        if language == "en":
            continue
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, catalog, width=100, omit_header=False, sort_output=True,
                     ignore_obsolete=True, include_lineno=False)
        counts[language] = len(untranslated(language))
    return counts


if __name__ == "__main__":
    for lang, count in update().items():
        sys.stdout.write(f"{lang}: {count} messages to translate in {po_path(lang)}\n")
