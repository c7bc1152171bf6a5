"""Ports of key rotation (PLT-4): data-key versions and the tenant's encrypted columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from application.jobs.ports import JobsUnitOfWork
from application.shared.context import SystemContext

# How long a process may keep a data key cached; a rotation waits this long before it
# re-encrypts, so no process still encrypts under the old version.
KEY_CACHE_SECONDS = 60.0


class DataKeyVersions(Protocol):
    async def rotate(self, tenant_id: UUID) -> int:
        """Add a data-key version that encrypts from now on; return its number."""
        ...

    def version_of(self, ciphertext: bytes) -> int:
        """The data-key version a ciphertext names (read from its header, not decrypted)."""
        ...


@dataclass(frozen=True)
class EncryptedValue:
    """One encrypted cell: its column, the logical field and row its associated data names."""

    column: str
    field: str
    row_id: UUID
    ciphertext: bytes


@dataclass(frozen=True)
class EncryptedRow:
    key: str  # the row's primary key within the tenant, as text: the walk's checkpoint
    values: tuple[EncryptedValue, ...]


class EncryptedColumns(Protocol):
    """Every encrypted column of the tenant, grouped by source (a table), walked in key order.

    ``rows`` locks what it returns (until the transaction ends), so a concurrent edit of a
    row waits for the batch, and the batch sees the row's latest committed values.
    """

    def sources(self) -> tuple[str, ...]: ...

    async def count(self, source: str) -> int: ...

    async def rows(
        self, source: str, after: str | None, limit: int, *, not_on_version: int | None = None
    ) -> list[EncryptedRow]:
        """Rows with a key after ``after``, in key order; with ``not_on_version``, only rows
        holding a ciphertext under another data-key version."""
        ...

    async def rewrite(self, source: str, key: str, ciphertexts: dict[str, bytes]) -> None:
        """Replace the given columns of one row (nothing else: not its version or times)."""
        ...

    async def retire_versions_before(self, version: int) -> list[int]:
        """Mark older data-key versions retired (they stay decrypt-only); return them."""
        ...


class KeyRotationUnitOfWork(JobsUnitOfWork, Protocol):
    encrypted: EncryptedColumns


class KeyRotationUnitOfWorkFactory(Protocol):
    def for_system(self, ctx: SystemContext, tenant_id: UUID) -> KeyRotationUnitOfWork: ...
