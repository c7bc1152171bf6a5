from __future__ import annotations

from typing import Protocol
from uuid import UUID


class FieldCipher(Protocol):
    """Encrypts personal fields (PLT-4).

    Each value is bound to its tenant, logical field name and row: a ciphertext copied to
    another row, field or tenant does not decrypt. Blind indexes give exact-match search
    over normalised values without storing them.
    """

    async def encrypt(self, tenant_id: UUID, field: str, row_id: UUID, plaintext: str) -> bytes: ...

    async def decrypt(
        self, tenant_id: UUID, field: str, row_id: UUID, ciphertext: bytes
    ) -> str: ...

    async def blind_index(self, tenant_id: UUID, field: str, normalised: str) -> bytes: ...


class TenantKeys(Protocol):
    """Lifecycle of a tenant's keys: created with the tenant, destroyed to shred its data."""

    async def create(self, tenant_id: UUID) -> None:
        """Create the tenant's key-encryption key and its first data key."""
        ...

    async def destroy(self, tenant_id: UUID) -> None:
        """Destroy the key-encryption key: every ciphertext of the tenant becomes unreadable."""
        ...
