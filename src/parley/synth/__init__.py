"""The synthetic data generator: realistic agency source files and canonical record pairs,
with ground truth, for tests, the demo and the benchmarks. Only synthetic people.

Public surface:

- ``generate(people, seed, out, difficulty="full") -> Manifest`` — the agency source files,
  ``truth.csv`` (source, record_id, person_id), ``persons.csv`` and ``manifest.json``
  (see ``parley.synth.generate`` and ``parley.synth.sources``).
- ``linkage_pair(n_left, n_right, overlap, seed, lookalike_share=0.2) -> LinkagePair`` —
  in-memory canonical rows ``(left, right, truth)``; ``truth`` maps ``record_id → person_id``
  and ``truth.pairs(left, right)`` gives the true matches (see ``parley.synth.linkage``).
- ``write_linkage_pair(out_dir, n_left, n_right, overlap, seed)`` — the same as CSV files.
- ``population(n, rng, lookalike_share=0.2)`` — the persons behind the records.
"""

from __future__ import annotations

from parley.synth.generate import Manifest, ManifestFile, generate
from parley.synth.linkage import LinkagePair, Truth, linkage_pair, write_linkage_pair
from parley.synth.people import Person, population

__all__ = [
    "LinkagePair",
    "Manifest",
    "ManifestFile",
    "Person",
    "Truth",
    "generate",
    "linkage_pair",
    "population",
    "write_linkage_pair",
]
