"""parley.names — the cross-script name engine (pure: no database, web or file I/O).

One person is «Олександр Миколайович Ковальов», «Александр Николаевич Ковалёв», "Oleksandr
Kovalov", "Alexander Kovalyov" and "Sasha". This package knows that, and knows that Oleksandr
and Oleksii, or Yurii and Yuliia, are different people. The linkage engine builds on
`normalize_name` (exact keys for Splink levels and blocking) and the pairwise similarities.
"""

from __future__ import annotations

from parley.names.compare import (
    SAME_THRESHOLD,
    NameBatch,
    NameComparison,
    compare_many,
    compare_names,
    family_similarity,
    given_similarity,
    patronymic_similarity,
    prepare_names,
)
from parley.names.normalize import (
    NormalizedName,
    detect_script,
    name_keys,
    normalize_name,
    romanize,
)
from parley.names.parse import NameParts, parse_name
from parley.names.reverse import latin_to_cyrillic
from parley.names.scripts import Script, fold_to_latin
from parley.names.variants import variants

__all__ = [
    "SAME_THRESHOLD",
    "NameBatch",
    "NameComparison",
    "NameParts",
    "NormalizedName",
    "Script",
    "compare_many",
    "compare_names",
    "detect_script",
    "family_similarity",
    "fold_to_latin",
    "given_similarity",
    "latin_to_cyrillic",
    "name_keys",
    "normalize_name",
    "parse_name",
    "patronymic_similarity",
    "prepare_names",
    "romanize",
    "variants",
]
