"""The generator's public surface, which the demo, the benchmarks and the tests import."""

from __future__ import annotations

import parley.synth


def test_public_surface_is_locked() -> None:
    assert set(parley.synth.__all__) == {
        "LinkagePair", "Manifest", "ManifestFile", "Person", "Truth", "generate",
        "linkage_pair", "population", "write_linkage_pair",
    }
    for name in parley.synth.__all__:
        assert getattr(parley.synth, name) is not None
