"""Seal tenants' new audit rows into their chains of digests (PLT-3).

The scheduler calls ``AuditSealer.seal_all`` every few seconds; ``shopkeeper audit seal``
calls it (or ``seal_tenant``) by hand. It runs as the platform role across tenants and is
cheap when nothing is new: one query finds the tenants with unsealed rows, looking only at
rows newer than each tenant's newest digest minus the late-commit tolerance.

Per tenant, one transaction per digest holds a tenant-scoped lock, reads the newest
digest, takes up to ``max_rows_per_digest`` unsealed rows in the sealing window, and
appends the next digest and its seal entries. After the commit the newest digest is
written to the ``AuditAnchorStore`` outside the database. The anchor only moves forward,
so two sealers racing cannot move it back. Before extending a chain the sealer checks it
against the anchor and refuses to extend one that no longer matches: that would bury the
evidence of tampering under newer digests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.audit.chain import (
    LATE_COMMIT_TOLERANCE,
    AuditAnchor,
    AuditDigest,
    AuditRowImage,
    next_digest,
    sealing_cutoff,
)
from domain.audit.verification import NamedRow
from domain.shared.errors import Conflict

DEFAULT_MAX_ROWS_PER_DIGEST = 1000


class AnchorUnreadable(Exception):
    """The anchor outside the database exists but cannot be read (corrupt or foreign)."""


class AuditChainDiverged(Conflict):
    """The tenant's chain in the database no longer matches its anchor: sealing stops."""

    code = "audit_chain_diverged"


# ---- ports ---------------------------------------------------------------------------


class AuditAnchorStore(Protocol):
    """The newest digest of each tenant, kept outside the database (files, a KMS-signed
    object store, a WORM bucket...)."""

    async def read(self, tenant_id: UUID) -> AuditAnchor | None:
        """The anchor, None when there is none; ``AnchorUnreadable`` when it is corrupt."""
        ...

    async def advance(self, tenant_id: UUID, anchor: AuditAnchor) -> bool:
        """Store ``anchor`` unless the stored one has the same or a higher seq (atomic)."""
        ...


class AuditChainSession(Protocol):
    """One sealing transaction of one tenant, holding the tenant's sealing lock."""

    async def newest_digest(self) -> AuditDigest | None: ...

    async def digest_at(self, seq: int) -> AuditDigest | None: ...

    async def unsealed_rows(self, since: datetime | None, limit: int) -> list[AuditRowImage]:
        """Rows without a seal entry, ``occurred_at >= since``, in (occurred_at, id) order."""
        ...

    async def append(self, digest: AuditDigest) -> None:
        """Insert the digest and one seal entry per row it covers."""
        ...

    async def commit(self) -> None: ...


class AuditChainView(Protocol):
    """A consistent snapshot of one tenant's audit log and chain (for verification)."""

    def digests(self) -> AsyncIterator[AuditDigest]:
        """Every digest in seq order."""
        ...

    async def named_rows(self, digest: AuditDigest) -> list[NamedRow]:
        """The rows the digest names, in its order, as stored now."""
        ...

    async def seal_count(self) -> int: ...

    async def first_seal_not_named_by_its_digest(self) -> tuple[UUID, int] | None: ...

    async def first_unsealed_before(self, cutoff: datetime) -> tuple[UUID, datetime] | None: ...

    async def unsealed_count(self) -> int: ...


class AuditChainStore(Protocol):
    async def tenants_with_unsealed_rows(self, tolerance: timedelta) -> list[UUID]: ...

    def sealing(self, tenant_id: UUID) -> AbstractAsyncContextManager[AuditChainSession]:
        """A transaction under the tenant's sealing lock; rolled back unless committed."""
        ...

    def snapshot(self, tenant_id: UUID) -> AbstractAsyncContextManager[AuditChainView]: ...


# ---- the use case --------------------------------------------------------------------


@dataclass(frozen=True)
class TenantSealing:
    tenant_id: UUID
    digests: tuple[int, ...] = ()
    rows: int = 0
    newest_seq: int | None = None
    error: str | None = None


class AuditSealer:
    def __init__(
        self,
        chain: AuditChainStore,
        anchors: AuditAnchorStore,
        *,
        tolerance: timedelta = LATE_COMMIT_TOLERANCE,
        max_rows_per_digest: int = DEFAULT_MAX_ROWS_PER_DIGEST,
    ) -> None:
        self._chain = chain
        self._anchors = anchors
        self._tolerance = tolerance
        self._max_rows = max_rows_per_digest

    async def seal_all(self) -> list[TenantSealing]:
        """Seal every tenant that has new rows. A tenant whose chain diverged from its
        anchor is reported (``error``) and skipped; the others are still sealed."""
        results = []
        for tenant_id in await self._chain.tenants_with_unsealed_rows(self._tolerance):
            try:
                results.append(await self.seal_tenant(tenant_id))
            except (AuditChainDiverged, AnchorUnreadable) as error:
                results.append(TenantSealing(tenant_id, error=_describe(error)))
        return results

    async def seal_tenant(self, tenant_id: UUID) -> TenantSealing:
        """Seal the tenant's new rows (as many digests as needed) and re-anchor."""
        sealed: list[int] = []
        rows = 0
        newest: AuditDigest | None = None
        checked = False
        while True:
            async with self._chain.sealing(tenant_id) as session:
                newest = await session.newest_digest()
                if not checked:
                    await self._check_anchor(tenant_id, session, newest)
                    checked = True
                batch = await session.unsealed_rows(
                    sealing_cutoff(newest, self._tolerance), self._max_rows
                )
                if not batch:
                    break
                newest = next_digest(newest, batch)
                await session.append(newest)
                await session.commit()
            sealed.append(newest.seq)
            rows += len(batch)
            await self._anchors.advance(tenant_id, AuditAnchor(newest.seq, newest.digest))
            if len(batch) < self._max_rows:
                break
        if newest is not None and not sealed:
            # Nothing new: still re-anchor, which repairs an anchor left behind by a crash
            # between a commit and its anchor write. ``advance`` never moves it back.
            await self._anchors.advance(tenant_id, AuditAnchor(newest.seq, newest.digest))
        return TenantSealing(
            tenant_id, tuple(sealed), rows, newest.seq if newest is not None else None
        )

    async def _check_anchor(
        self, tenant_id: UUID, session: AuditChainSession, newest: AuditDigest | None
    ) -> None:
        anchor = await self._anchors.read(tenant_id)
        if anchor is None:
            return
        newest_seq = newest.seq if newest is not None else 0
        if anchor.seq > newest_seq:
            raise AuditChainDiverged(seq=anchor.seq, found=newest_seq)
        anchored = newest if newest is not None and newest.seq == anchor.seq else None
        if anchored is None:
            anchored = await session.digest_at(anchor.seq)
        if anchored is None or anchored.digest != anchor.digest:
            raise AuditChainDiverged(seq=anchor.seq, found=newest_seq)


def _describe(error: Exception) -> str:
    if isinstance(error, AuditChainDiverged):
        return (
            f"chain diverged from its anchor (anchor seq {error.params['seq']}, database"
            f" newest seq {error.params['found']}): run `shopkeeper audit verify`"
        )
    return f"anchor unreadable: {error}"
