"""Names interned to small ints, and part-pair scores and verdicts remembered by int keys.

Why: linkage review and `--pairs` compare the same few thousand distinct strings millions of
times. Every exact form of one name (Олександр, Aleksandr, Sasha as Alexander) is one canonical
part, so a pair of names is scored once however it is spelt; once the distinct strings have been
seen, comparing two names is a handful of dict lookups by int. Pair scores are stored as int
codes (``round(score, 4) * 10000 + 1``; 0 means "absent"), so a verdict is found by one int key
too. `pair_key` is the one layout of a pair of ids; `verdict_key` the one layout of a verdict.

The dicts are cleared in place when they grow past their bound (never replaced), so a caller
may hold a reference to one (`compare_names` does, for speed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from parley.names.keys import family_skeleton
from parley.names.parse import parse_name
from parley.names.parts import Part, given_part, name_sex, part_score, patronymic_part
from parley.names.scripts import fold_to_latin
from parley.names.surname import family_score
from parley.names.verdict import NameComparison, verdict

I64 = npt.NDArray[np.int64]

_M: Final = 1 << 32
FULL: Final = 10001
"""The code of a score of 1.0."""
SCORE_OF: Final = [-1.0] + [k / 10000 for k in range(10001)]
"""The score of a code; code 0 (an absent part) reads as `parley.names.verdict.ABSENT`."""
_MAX_SCORES: Final = 2_000_000
_MAX_PROFILES: Final = 500_000


def to_code(score: float) -> int:
    """The int code of a part score in 0..1."""
    return round(round(score, 4) * 10000) + 1


def pair_key(x: int, y: int) -> int:
    """The key of an unordered pair of ids (``lo * 2**32 + hi``)."""
    return x * _M + y if x < y else y * _M + x


def pair_keys(x: I64, y: I64) -> I64:
    """`pair_key` of many pairs at once."""
    return np.minimum(x, y) * _M + np.maximum(x, y)


def split_key(key: int) -> tuple[int, int]:
    """The two ids of a `pair_key`."""
    return divmod(key, _M)


SWAPPED_BIT: Final = 1 << 46
_PATRONYMIC_AND_SEX: Final = 0xFFFF


@overload
def verdict_key(fc: int, gc: int, pc: int, other_sex: int) -> int: ...
@overload
def verdict_key(fc: I64, gc: I64, pc: I64 | int, other_sex: I64 | int) -> I64: ...
def verdict_key(fc: Any, gc: Any, pc: Any, other_sex: Any) -> Any:
    """The key of a verdict: family code << 31 | given << 16 | patronymic << 1 | other sex
    (ints, or arrays of them); `SWAPPED_BIT` is added for a name read in swapped order."""
    return fc << 31 | gc << 16 | pc << 1 | other_sex


@overload
def swapped_key(vkey: int, fc: int, gc: int) -> int: ...
@overload
def swapped_key(vkey: I64, fc: I64, gc: I64) -> I64: ...
def swapped_key(vkey: Any, fc: Any, gc: Any) -> Any:
    """The verdict key of the same pair with other family and given codes (the names read in
    swapped order), keeping the patronymic and sex of ``vkey``."""
    return verdict_key(fc, gc, 0, 0) | (vkey & _PATRONYMIC_AND_SEX) | SWAPPED_BIT


class PairCodes:
    """Codes of pairs of interned parts of one kind, each pair scored once by ``score``."""

    def __init__(self, score: Callable[[int, int], float], same: list[int] | None = None) -> None:
        self.codes: dict[int, int] = {}
        self._score = score
        self._same = same  # ids that score 1.0 when equal (a surname's skeleton id)

    def code(self, x: int, y: int) -> int:
        """0 when a side is absent (-1), `FULL` when the ids agree, else the pair's code."""
        if x < 0 or y < 0:
            return 0
        same = self._same
        if x == y or (same is not None and same[x] == same[y] and same[x] >= 0):
            return FULL
        key = pair_key(x, y)
        return self.codes.get(key) or self.compute(key)

    def compute(self, key: int) -> int:
        """The code of the pair ``key``, scored now if it was not seen."""
        code = self.codes.get(key)
        if code is None:
            if len(self.codes) > _MAX_SCORES:
                self.codes.clear()
            code = self.codes[key] = to_code(self._score(*split_key(key)))
        return code

    def many(self, x: I64, y: I64, same_x: I64 | None = None, same_y: I64 | None = None) -> I64:
        """`code` of many pairs: each distinct pair looked up (or scored) once; ``same_*`` are
        the ids that score 1.0 when equal (skeletons), per pair."""
        out = np.zeros(len(x), dtype=np.int64)
        present = (x >= 0) & (y >= 0)
        full = present & (x == y)
        if same_x is not None and same_y is not None:
            full |= present & (same_x == same_y) & (same_x >= 0)
        out[full] = FULL
        need = present & ~full
        keys = pair_keys(x[need], y[need])
        if len(keys):
            uniq, inverse = np.unique(keys, return_inverse=True)
            get, compute = self.codes.get, self.compute
            values = np.fromiter(
                (get(k) or compute(k) for k in uniq.tolist()), dtype=np.int64, count=len(uniq)
            )
            out[need] = values[inverse]
        return out


# A name's profile: (family id, skeleton id, given part id, patronymic part id, sex code,
# identity key id, family may be a given name); -1 for an absent part.
Profile = tuple[int, int, int, int, int, int, bool]

_SEX_CODE: Final = {"": 0, "M": 1, "F": 2}


class NameCache:
    """Every distinct name, part and pair seen so far, as ints (one per process: `CACHE`)."""

    def __init__(self) -> None:
        self._part_ids: dict[tuple[object, ...], int] = {}
        self.parts: list[Part] = []
        self._family_ids: dict[str, int] = {}
        self.families: list[str] = []
        self._skeleton_ids: dict[str, int] = {}
        self.family_skeleton: list[int] = []  # skeleton id per family id, -1 for none
        self.profiles: dict[str, Profile] = {}
        self._key_ids: dict[str, int] = {}  # identity keys as ints: the hot path compares ints
        self._next_key = 0  # never reused, so an id from before a clear stays unique
        self._swaps: dict[str, tuple[int, int]] = {}
        self._given_uids: dict[str, int] = {}
        self._patronymic_uids: dict[str, int] = {}
        self.verdicts: dict[int, NameComparison] = {}
        self.family = PairCodes(self._family_score, self.family_skeleton)
        self.given = PairCodes(lambda x, y: part_score(self.parts[x], self.parts[y], True))
        self.patronymic = PairCodes(
            lambda x, y: part_score(self.parts[x], self.parts[y], False)
        )

    def _family_score(self, x: int, y: int) -> float:
        return family_score(self.families[x], self.families[y])

    def _intern(self, part: Part, key: tuple[object, ...]) -> int:
        uid = self._part_ids.get(key)
        if uid is None:
            uid = self._part_ids[key] = len(self.parts)
            self.parts.append(part)
        return uid

    def given_uid(self, text: str) -> int:
        """The part id of a given name: one id for every exact form of one name."""
        uid = self._given_uids.get(text)
        if uid is None:
            if len(self._given_uids) > _MAX_PROFILES:
                self._given_uids.clear()  # interning is idempotent: only lookups are lost
            part = given_part(text)
            if part.exact and part.ids:
                canon = Part("", part.ids, True, part.sex, "", part.letters)
                uid = self._intern(canon, ("g", part.ids, part.sex))
            else:
                uid = self._intern(part, ("g?", text))
            self._given_uids[text] = uid
        return uid

    def patronymic_uid(self, text: str) -> int:
        """The part id of a patronymic: one id for every exact form of one father's name."""
        uid = self._patronymic_uids.get(text)
        if uid is None:
            if len(self._patronymic_uids) > _MAX_PROFILES:
                self._patronymic_uids.clear()  # interning is idempotent: only lookups are lost
            part = patronymic_part(text)
            if part.exact and part.ids:
                canon = Part("", part.ids, True, "", "", part.letters)
                uid = self._intern(canon, ("p", part.ids))
            else:
                uid = self._intern(part, ("p?", text))
            self._patronymic_uids[text] = uid
        return uid

    def family_id(self, text: str) -> int:
        """The id of a surname as written (its skeleton id is ``family_skeleton[id]``)."""
        fid = self._family_ids.get(text)
        if fid is None:
            fid = self._family_ids[text] = len(self.families)
            self.families.append(text)
            skeleton = family_skeleton(text)
            self.family_skeleton.append(
                self._skeleton_ids.setdefault(skeleton, len(self._skeleton_ids))
                if skeleton else -1
            )
        return fid

    def profile(self, text: str) -> Profile:
        """The name parsed and its parts interned, through a plain dict: the hot path hits it
        twice per pair, and a dict hit is cheaper than an LRU hit."""
        got = self.profiles.get(text)
        if got is None:
            if len(self.profiles) > _MAX_PROFILES:
                self.profiles.clear()
                self._key_ids.clear()
                self._swaps.clear()
            got = self.profiles[text] = self._profile(text)
        return got

    def _profile(self, text: str) -> Profile:
        parts = parse_name(text)
        key = " ".join(fold_to_latin(unicodedata.normalize("NFC", text)).split())
        key_id = -1
        if key:
            key_id = self._key_ids.get(key, -1)
            if key_id < 0:
                key_id = self._key_ids[key] = self._next_key
                self._next_key += 1
        fid = self.family_id(parts.family) if parts.family else -1
        return (
            fid, self.family_skeleton[fid] if fid >= 0 else -1,
            self.given_uid(parts.given) if parts.given else -1,
            self.patronymic_uid(parts.patronymic) if parts.patronymic else -1,
            _SEX_CODE[name_sex(parts)], key_id,
            bool(parts.family) and bool(given_part(parts.family).ids),
        )

    def swap(self, text: str) -> tuple[int, int]:
        """The name read in the other order: (its given name as a family id, its family name
        as a given-name part id), for "Kovalov Oleksandr" written without a telling order."""
        got = self._swaps.get(text)
        if got is None:
            parts = parse_name(text)
            got = self._swaps[text] = (
                self.family_id(parts.given) if parts.given else -1,
                self.given_uid(parts.family) if parts.family else -1,
            )
        return got

    def verdict(self, vkey: int) -> NameComparison:
        """The verdict of a `verdict_key`; few distinct keys occur, so they are kept."""
        got = self.verdicts.get(vkey)
        if got is None:
            fc, gc, pc = (vkey >> 31) & 0x7FFF, (vkey >> 16) & 0x7FFF, (vkey >> 1) & 0x7FFF
            got = self.verdicts[vkey] = verdict(
                SCORE_OF[fc], SCORE_OF[gc], SCORE_OF[pc], bool(vkey & 1),
                bool(vkey & SWAPPED_BIT),
            )
        return got


CACHE: Final = NameCache()
"""The process's name cache, shared by `compare_names` and `NameBatch`."""
