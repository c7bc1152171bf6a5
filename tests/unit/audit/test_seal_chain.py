"""The audit chain's pure parts (PLT-3): canonical encoding, digests, the verifier."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.audit.chain import (
    AUDIT_COLUMNS,
    GENESIS,
    AuditAnchor,
    AuditDigest,
    AuditRowImage,
    canonical_encoding,
    chain_digest,
    next_digest,
    row_hash,
)
from domain.audit.verification import ChainVerifier, Finding, NamedRow

TENANT = uuid.UUID("0192f0c0-0000-7000-8000-000000000001")
T0 = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


def row(n: int, **changes: object) -> AuditRowImage:
    base = AuditRowImage(
        tenant_id=TENANT,
        id=uuid.UUID(int=n + 1),
        occurred_at=T0 + timedelta(seconds=n),
        actor="user:1",
        action="role.create",
        entity_type="role",
        entity_id=None,
        outcome="success",
        changes="[]",
        detail="{}",
        request_id="req",
        ip=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def named(rows: list[AuditRowImage], seq: int) -> list[NamedRow]:
    return [NamedRow(r, seq) for r in rows]


def test_every_column_is_encoded() -> None:
    assert [f.name for f in dataclasses.fields(AuditRowImage)] == list(AUDIT_COLUMNS)


def test_encoding_tells_null_from_empty_and_keeps_column_boundaries() -> None:
    assert canonical_encoding(row(1, ip=None)) != canonical_encoding(row(1, ip=""))
    shifted = row(1, actor="user:1r", action="ole.create")
    assert canonical_encoding(shifted) != canonical_encoding(row(1))


def test_timestamps_are_encoded_in_utc_whatever_their_zone() -> None:
    shanghai = T0.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert row_hash(row(0, occurred_at=shanghai)) == row_hash(row(0))
    with pytest.raises(ValueError, match="timezone-aware"):
        row_hash(row(0, occurred_at=T0.replace(tzinfo=None)))


def test_digests_chain_and_order_rows_by_time_then_id() -> None:
    first = next_digest(None, [row(2), row(0), row(1)])
    assert first.seq == 1 and first.previous_digest is None
    assert first.row_ids == (row(0).id, row(1).id, row(2).id)
    assert first.digest == chain_digest(GENESIS, [row_hash(row(n)) for n in range(3)])
    second = next_digest(first, [row(3)])
    assert second.seq == 2 and second.previous_digest == first.digest
    assert second.digest == chain_digest(first.digest, [row_hash(row(3))])
    tie = row(9, occurred_at=row(0).occurred_at, id=uuid.UUID(int=0))
    assert next_digest(None, [row(0), tie]).row_ids == (tie.id, row(0).id)


def _verify(
    chain: list[tuple[AuditDigest, list[NamedRow]]], anchor: AuditAnchor | None = None
) -> tuple[ChainVerifier, Finding | None]:
    verifier = ChainVerifier(anchor)
    for digest, rows in chain:
        problem = verifier.check_digest(digest, rows)
        if problem is not None:
            return verifier, problem.finding
    problem = verifier.check_anchor()
    return verifier, problem.finding if problem is not None else None


def test_an_intact_chain_verifies() -> None:
    rows = [row(n) for n in range(5)]
    d1 = next_digest(None, rows[:3])
    d2 = next_digest(d1, rows[3:])
    verifier, finding = _verify(
        [(d1, named(rows[:3], 1)), (d2, named(rows[3:], 2))], AuditAnchor(2, d2.digest)
    )
    assert finding is None and verifier.rows == 5 and verifier.digests == 2
    assert verifier.anchor_warnings() == ()


@given(
    index=st.integers(0, 3),
    column=st.sampled_from(
        ["actor", "action", "entity_type", "outcome", "changes", "detail", "request_id", "ip"]
    ),
    value=st.text(max_size=5),
)
def test_any_edit_of_any_sealed_row_is_named(index: int, column: str, value: str) -> None:
    rows = [row(n) for n in range(4)]
    digest = next_digest(None, rows)
    edited = dataclasses.replace(rows[index], **{column: value})
    stored = [*rows[:index], edited, *rows[index + 1 :]]
    problem = ChainVerifier(None).check_digest(digest, named(stored, 1))
    if edited == rows[index]:
        assert problem is None
    else:
        assert problem is not None and problem.finding is Finding.ROW_CHANGED
        assert problem.audit_id == rows[index].id


def test_missing_reordered_and_reassigned_rows_are_named() -> None:
    rows = [row(n) for n in range(3)]
    digest = next_digest(None, rows)
    check = ChainVerifier(None).check_digest
    missing = check(digest, [NamedRow(rows[0], 1), NamedRow(None, None), NamedRow(rows[2], 1)])
    assert missing is not None and missing.finding is Finding.ROW_MISSING
    assert missing.audit_id == rows[1].id
    swapped = [
        rows[0],
        dataclasses.replace(rows[1], occurred_at=rows[2].occurred_at),
        dataclasses.replace(rows[2], occurred_at=rows[1].occurred_at),
    ]
    reordered = check(digest, named(swapped, 1))
    assert reordered is not None and reordered.finding is Finding.ROWS_REORDERED
    elsewhere = check(digest, [NamedRow(rows[0], 1), NamedRow(rows[1], 7), NamedRow(rows[2], 1)])
    assert elsewhere is not None and elsewhere.finding is Finding.SEAL_MISMATCH


def test_gaps_broken_links_altered_digests_and_deleted_heads_are_found() -> None:
    rows = [row(n) for n in range(3)]
    d1 = next_digest(None, rows[:1])
    d2 = next_digest(d1, rows[1:2])
    d3 = next_digest(d2, rows[2:])
    gap = _verify([(d1, named(rows[:1], 1)), (d3, named(rows[2:], 3))])
    assert gap[1] is Finding.DIGEST_MISSING
    relinked = dataclasses.replace(d2, previous_digest=bytes(32))
    broken = _verify([(d1, named(rows[:1], 1)), (relinked, named(rows[1:2], 2))])
    assert broken[1] is Finding.CHAIN_BROKEN
    altered = dataclasses.replace(d1, digest=bytes(32))
    assert _verify([(altered, named(rows[:1], 1))])[1] is Finding.DIGEST_ALTERED
    head_gone = _verify([(d1, named(rows[:1], 1))], AuditAnchor(2, d2.digest))
    assert head_gone[1] is Finding.NEWEST_DELETED
    rewritten = _verify([(d1, named(rows[:1], 1))], AuditAnchor(1, bytes(32)))
    assert rewritten[1] is Finding.ANCHOR_MISMATCH
    lagging = _verify(
        [(d1, named(rows[:1], 1)), (d2, named(rows[1:2], 2))], AuditAnchor(1, d1.digest)
    )
    assert lagging[1] is None and lagging[0].anchor_warnings()
