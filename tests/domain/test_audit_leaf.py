"""The hand-written leaf encoder must produce exactly ``canonical_json`` of the event fields:
every stored event hash depends on these bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from parley.domain.audit import canonical_json, event_leaf_bytes

TEXT = st.text(max_size=30)


@given(
    seq=st.integers(min_value=0, max_value=2**53),
    moment=st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 1, 1),
                        timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=3))])),
    actor=TEXT, role=TEXT, agency=TEXT, action=TEXT, target=TEXT, p_hash=TEXT, prev=TEXT,
)
def test_leaf_bytes_equal_canonical_json(
    seq: int, moment: datetime, actor: str, role: str, agency: str, action: str, target: str,
    p_hash: str, prev: str,
) -> None:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    expected = canonical_json({
        "seq": seq, "at": aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": actor,
        "role": role, "agency": agency, "action": action, "target": target,
        "payload_hash": p_hash, "prev": prev,
    })
    assert event_leaf_bytes(seq=seq, occurred_at=moment, actor=actor, actor_role=role,
                            actor_agency=agency, action=action, target=target,
                            payload_hash=p_hash, prev_hash=prev) == expected
