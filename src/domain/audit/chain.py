"""Tamper evidence for the audit log: a per-tenant chain of digests (PLT-3).

A sealer periodically takes a tenant's new audit rows, in ``(occurred_at, id)`` order, and
appends one digest that covers them::

    row_hash   = SHA-256(canonical_encoding(row))            every column of the row
    digest_n   = SHA-256(digest_{n-1} || row_hash_1 || ... || row_hash_k)
    digest_0   = 32 zero bytes

Each digest names the rows it covers (their ids and hashes, in order), so a verifier can
say which row was changed, deleted or reordered; the chain makes an edit of an older digest
visible in every later one; and the newest digest is also written outside the database
(an anchor), so deleting the newest rows together with their digests is visible too.

Rows commit in a different order than they were stamped (``occurred_at`` is taken when
the row is inserted, visibility comes at commit). A row that commits after a digest newer
than it was written is sealed by the next digest, as long as it is no older than the
newest digest's last row minus ``LATE_COMMIT_TOLERANCE``. Older unsealed rows are never
sealed silently: a verifier reports them as inserted after sealing. The tolerance is the
longest a transaction may take between writing its audit row and committing.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

LATE_COMMIT_TOLERANCE = timedelta(minutes=2)
GENESIS = bytes(32)
DIGEST_BYTES = 32
ROW_FORMAT = b"shopkeeper.audit.row/v1\n"

# Every column of ``audit_log``, in the order the canonical encoding uses. A test compares
# this with the database catalog: a new column must be added here (and ROW_FORMAT bumped),
# or it would escape the seal.
AUDIT_COLUMNS = (
    "tenant_id",
    "id",
    "occurred_at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "outcome",
    "changes",
    "detail",
    "request_id",
    "ip",
)

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class AuditRowImage:
    """One audit row exactly as stored, every column, in a form that hashes stably.

    ``changes`` and ``detail`` are the database's own text rendering of the stored JSON
    (jsonb normalises key order and spacing, so one value always renders the same way);
    ``ip`` is the database's text rendering of the address.
    """

    tenant_id: UUID
    id: UUID
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: UUID | None
    outcome: str
    changes: str
    detail: str
    request_id: str
    ip: str | None

    @property
    def position(self) -> tuple[datetime, UUID]:
        """Where the row sorts in the chain: by time, ties broken by id."""
        return (self.occurred_at, self.id)


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        # guard: audit rows are written with the clock's aware time (timestamptz)
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _column_texts(row: AuditRowImage) -> tuple[str | None, ...]:
    return (
        str(row.tenant_id),
        str(row.id),
        _timestamp(row.occurred_at),
        row.actor,
        row.action,
        row.entity_type,
        str(row.entity_id) if row.entity_id is not None else None,
        row.outcome,
        row.changes,
        row.detail,
        row.request_id,
        row.ip,
    )


def canonical_encoding(row: AuditRowImage) -> bytes:
    """A format tag, then each column in ``AUDIT_COLUMNS`` order: 0x00 for NULL, else 0x01,
    the UTF-8 length (4 bytes, big-endian) and the UTF-8 text. Length prefixes make the
    encoding unambiguous: no two different rows encode alike."""
    parts = [ROW_FORMAT]
    for value in _column_texts(row):
        if value is None:
            parts.append(b"\x00")
        else:
            data = value.encode()
            parts.extend((b"\x01", _LENGTH.pack(len(data)), data))
    return b"".join(parts)


def row_hash(row: AuditRowImage) -> bytes:
    return hashlib.sha256(canonical_encoding(row)).digest()


def chain_digest(previous: bytes | None, row_hashes: Sequence[bytes]) -> bytes:
    h = hashlib.sha256(previous if previous is not None else GENESIS)
    for value in row_hashes:
        h.update(value)
    return h.digest()


@dataclass(frozen=True)
class AuditDigest:
    """One link of a tenant's chain. ``previous_digest`` is None for the first (seq 1)."""

    seq: int
    previous_digest: bytes | None
    digest: bytes
    row_ids: tuple[UUID, ...]
    row_hashes: tuple[bytes, ...]
    first_occurred_at: datetime
    last_occurred_at: datetime


@dataclass(frozen=True)
class AuditAnchor:
    """The newest digest of a tenant as written outside the database."""

    seq: int
    digest: bytes


def next_digest(previous: AuditDigest | None, rows: Sequence[AuditRowImage]) -> AuditDigest:
    """The digest after ``previous`` covering ``rows`` (sorted here by time, then id)."""
    if not rows:
        # guard: the sealer seals only when it found new rows
        raise ValueError("a digest covers at least one row")
    ordered = sorted(rows, key=lambda r: r.position)
    hashes = tuple(row_hash(r) for r in ordered)
    previous_digest = previous.digest if previous is not None else None
    return AuditDigest(
        seq=previous.seq + 1 if previous is not None else 1,
        previous_digest=previous_digest,
        digest=chain_digest(previous_digest, hashes),
        row_ids=tuple(r.id for r in ordered),
        row_hashes=hashes,
        first_occurred_at=ordered[0].occurred_at,
        last_occurred_at=ordered[-1].occurred_at,
    )


def sealing_cutoff(newest: AuditDigest | None, tolerance: timedelta) -> datetime | None:
    """Unsealed rows at or after this instant may still be sealed (late commits); older
    unsealed rows were inserted after sealing. None: no digest yet, every row is new."""
    if newest is None:
        return None
    return newest.last_occurred_at - tolerance
