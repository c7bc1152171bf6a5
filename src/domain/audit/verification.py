"""Checking a tenant's audit chain, digest by digest (PLT-3).

``ChainVerifier`` is fed the digests in ``seq`` order, each with the rows it names as they
are stored now, and stops at the first thing that does not match. The caller then asks it
about what lies outside the digests: the anchor kept outside the database, seal entries
that no digest explains, and unsealed rows too old to be late commits.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.audit.chain import (
    DIGEST_BYTES,
    LATE_COMMIT_TOLERANCE,
    AuditAnchor,
    AuditDigest,
    AuditRowImage,
    chain_digest,
    row_hash,
    sealing_cutoff,
)


class Finding(StrEnum):
    ROW_CHANGED = "row_changed"
    ROW_MISSING = "row_missing"
    ROWS_REORDERED = "rows_reordered"
    ROW_INSERTED = "row_inserted"
    DIGEST_ALTERED = "digest_altered"
    DIGEST_MISSING = "digest_missing"
    CHAIN_BROKEN = "chain_broken"
    SEAL_MISMATCH = "seal_mismatch"
    ANCHOR_MISMATCH = "anchor_mismatch"
    NEWEST_DELETED = "newest_deleted"
    ANCHOR_UNREADABLE = "anchor_unreadable"


@dataclass(frozen=True)
class ChainProblem:
    finding: Finding
    message: str
    seq: int | None = None
    audit_id: UUID | None = None


@dataclass(frozen=True)
class NamedRow:
    """A row a digest names, as stored now: None when it is gone; ``sealed_by`` is the
    digest its seal entry points at (None when it has none)."""

    image: AuditRowImage | None
    sealed_by: int | None


@dataclass(frozen=True)
class ChainReport:
    rows: int
    digests: int
    pending_rows: int
    problem: ChainProblem | None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is not None:
            return f"TAMPERED: {self.problem.message}"
        text = f"ok: {self.rows} rows in {self.digests} digests"
        if self.pending_rows:
            text += f" ({self.pending_rows} newer rows not sealed yet)"
        return text


def _hex(value: bytes | None) -> str:
    return value.hex() if value is not None else "none"


class ChainVerifier:
    def __init__(
        self, anchor: AuditAnchor | None, tolerance: timedelta = LATE_COMMIT_TOLERANCE
    ) -> None:
        self.anchor = anchor
        self.tolerance = tolerance
        self.newest: AuditDigest | None = None
        self.rows = 0
        self.digests = 0

    def check_digest(self, digest: AuditDigest, named: Sequence[NamedRow]) -> ChainProblem | None:
        """Check the next digest (in ``seq`` order) against its predecessor and its rows."""
        problem = self._check(digest, named)
        if problem is None:
            self.newest = digest
            self.rows += len(digest.row_ids)
            self.digests += 1
        return problem

    def _check(self, d: AuditDigest, named: Sequence[NamedRow]) -> ChainProblem | None:
        return self._check_link(d) or self._check_rows(d, named) or self._check_anchored(d)

    def _check_link(self, d: AuditDigest) -> ChainProblem | None:
        """The digest itself: its place in the chain and its value."""
        seq = d.seq
        expected_seq = self.newest.seq + 1 if self.newest is not None else 1
        if seq != expected_seq:
            return ChainProblem(
                Finding.DIGEST_MISSING,
                f"digest seq {expected_seq} is missing: the chain jumps from seq"
                f" {expected_seq - 1} to seq {seq}",
                seq=expected_seq,
            )
        expected_previous = self.newest.digest if self.newest is not None else None
        if d.previous_digest != expected_previous:
            return ChainProblem(
                Finding.CHAIN_BROKEN,
                f"digest seq {seq} names previous digest {_hex(d.previous_digest)}, but digest"
                f" seq {seq - 1} is {_hex(expected_previous)}",
                seq=seq,
            )
        if (
            not d.row_ids
            or len(d.row_ids) != len(d.row_hashes)
            or len(d.digest) != DIGEST_BYTES
            or any(len(h) != DIGEST_BYTES for h in d.row_hashes)
        ):
            return ChainProblem(
                Finding.DIGEST_ALTERED,
                f"digest seq {seq} is malformed (row ids and row hashes do not pair up)",
                seq=seq,
            )
        if chain_digest(d.previous_digest, d.row_hashes) != d.digest:
            return ChainProblem(
                Finding.DIGEST_ALTERED,
                f"digest seq {seq} does not match its previous digest and the row hashes it"
                " lists: the digest record was altered",
                seq=seq,
            )
        return None

    def _check_rows(self, d: AuditDigest, named: Sequence[NamedRow]) -> ChainProblem | None:
        """The rows it names: present, in order, unchanged, sealed by it alone."""
        seq = d.seq
        if len(named) != len(d.row_ids):
            # guard: the verifier looks up one row per id the digest names
            raise ValueError("named rows must pair up with the digest's row ids")
        for row_id, row in zip(d.row_ids, named, strict=True):
            if row.image is None:
                return ChainProblem(
                    Finding.ROW_MISSING,
                    f"audit row {row_id} sealed by digest seq {seq} is missing: it was deleted",
                    seq=seq,
                    audit_id=row_id,
                )
        images = [row.image for row in named if row.image is not None]
        for earlier, later in itertools.pairwise(images):
            if not earlier.position < later.position:
                return ChainProblem(
                    Finding.ROWS_REORDERED,
                    f"audit rows {earlier.id} and {later.id} of digest seq {seq} are no longer"
                    " in their sealed order: their occurred_at or id was changed",
                    seq=seq,
                    audit_id=earlier.id,
                )
        for image, sealed_hash in zip(images, d.row_hashes, strict=True):
            if row_hash(image) != sealed_hash:
                return ChainProblem(
                    Finding.ROW_CHANGED,
                    f"audit row {image.id} sealed by digest seq {seq} was changed after"
                    " sealing (its columns no longer hash to the sealed value)",
                    seq=seq,
                    audit_id=image.id,
                )
        if (
            d.first_occurred_at != images[0].occurred_at
            or d.last_occurred_at != images[-1].occurred_at
        ):
            return ChainProblem(
                Finding.DIGEST_ALTERED,
                f"digest seq {seq}'s first/last occurred_at do not match the rows it covers",
                seq=seq,
            )
        for row_id, row in zip(d.row_ids, named, strict=True):
            if row.sealed_by != seq:
                where = f"seq {row.sealed_by}" if row.sealed_by is not None else "no digest"
                return ChainProblem(
                    Finding.SEAL_MISMATCH,
                    f"audit row {row_id} is named by digest seq {seq} but its seal entry points"
                    f" at {where}",
                    seq=seq,
                    audit_id=row_id,
                )
        return None

    def _check_anchored(self, d: AuditDigest) -> ChainProblem | None:
        seq = d.seq
        if self.anchor is not None and self.anchor.seq == seq and self.anchor.digest != d.digest:
            return ChainProblem(
                Finding.ANCHOR_MISMATCH,
                f"digest seq {seq} is {d.digest.hex()} in the database but"
                f" {self.anchor.digest.hex()} in the anchor kept outside it: the chain was"
                " rewritten",
                seq=seq,
            )
        return None

    def check_anchor(self) -> ChainProblem | None:
        """After the last digest: the anchor must not name a digest the database lacks."""
        if self.anchor is None:
            return None
        newest_seq = self.newest.seq if self.newest is not None else 0
        if self.anchor.seq > newest_seq:
            return ChainProblem(
                Finding.NEWEST_DELETED,
                f"the anchor kept outside the database names digest seq {self.anchor.seq},"
                f" but the newest digest in the database is seq {newest_seq}: the newest"
                " digests (and the rows they sealed) were deleted",
                seq=self.anchor.seq,
            )
        return None

    def anchor_warnings(self) -> tuple[str, ...]:
        newest_seq = self.newest.seq if self.newest is not None else 0
        anchored = self.anchor.seq if self.anchor is not None else 0
        if newest_seq > anchored:
            return (
                f"the anchor outside the database names seq {anchored} but the database"
                f" has seq {newest_seq}; digests after the anchor are not yet protected"
                " against deletion (the next sealing run re-anchors)",
            )
        return ()

    def extra_seal(self, audit_id: UUID, seq: int) -> ChainProblem:
        return ChainProblem(
            Finding.SEAL_MISMATCH,
            f"audit row {audit_id} has a seal entry for digest seq {seq}, which does not name"
            " it: the entry was added after sealing",
            seq=seq,
            audit_id=audit_id,
        )

    def cutoff(self) -> datetime | None:
        return sealing_cutoff(self.newest, self.tolerance)

    def inserted_row(self, audit_id: UUID, occurred_at: datetime) -> ChainProblem:
        assert self.newest is not None
        minutes = self.tolerance.total_seconds() / 60
        return ChainProblem(
            Finding.ROW_INSERTED,
            f"audit row {audit_id} (occurred_at {occurred_at.isoformat()}) is not sealed,"
            f" yet it is older than digest seq {self.newest.seq}'s last row minus the"
            f" late-commit tolerance ({minutes:g} min): it was inserted after sealing",
            seq=self.newest.seq,
            audit_id=audit_id,
        )

    def report(
        self, problem: ChainProblem | None, pending_rows: int = 0, warnings: tuple[str, ...] = ()
    ) -> ChainReport:
        return ChainReport(self.rows, self.digests, pending_rows, problem, warnings)
