"""Per-tenant key-encryption keys, kept outside the database (docs/architecture.md, PLT-4).

No database backup holds these keys, so destroying one shreds the tenant's personal data
everywhere, backups included. ``FileKeyStore`` is the default (one file per tenant); a KMS
adapter can replace it behind the ``KeyStore`` protocol.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path
from typing import Protocol
from uuid import UUID

from adapters.storage.durable import fsync_directory, publish_private

KEK_BYTES = 32  # AES-256


class KeyStoreError(Exception):
    """The key store cannot give a usable key."""


class KeyMissing(KeyStoreError):
    """The tenant has no key-encryption key: never created, or destroyed (shredded)."""

    def __init__(self, tenant_id: UUID) -> None:
        super().__init__(
            f"no key-encryption key for tenant {tenant_id} (never created or destroyed)"
        )
        self.tenant_id = tenant_id


class KeyStore(Protocol):
    async def create(self, tenant_id: UUID) -> None:
        """Create the tenant's key-encryption key; keep an existing one."""
        ...

    async def load(self, tenant_id: UUID) -> bytes:
        """Return the key; raise ``KeyMissing`` when there is none."""
        ...

    async def destroy(self, tenant_id: UUID) -> None:
        """Destroy the key for good; nothing happens when there is none."""
        ...


class FileKeyStore:
    """One ``<tenant_uuid>.kek`` file (mode 0600) per tenant in a 0700 directory."""

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)

    def _path(self, tenant_id: UUID) -> Path:
        # str(UUID(...)) is the canonical form: no path separators can sneak in.
        return self._directory / f"{UUID(str(tenant_id))}.kek"

    async def create(self, tenant_id: UUID) -> None:
        await asyncio.to_thread(self._create, tenant_id)

    async def load(self, tenant_id: UUID) -> bytes:
        return await asyncio.to_thread(self._load, tenant_id)

    async def destroy(self, tenant_id: UUID) -> None:
        await asyncio.to_thread(self._destroy, tenant_id)

    def _ensure_directory(self) -> None:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask, and the directory may predate us.
        os.chmod(self._directory, 0o700)

    def _create(self, tenant_id: UUID) -> None:
        self._ensure_directory()
        target = self._path(tenant_id)
        if target.exists():
            return
        # Never overwritten: if another process created the key meanwhile, its key (which
        # may already wrap data keys) wins and ours is discarded.
        publish_private(target, secrets.token_bytes(KEK_BYTES), overwrite=False)

    def _load(self, tenant_id: UUID) -> bytes:
        try:
            key = self._path(tenant_id).read_bytes()
        except FileNotFoundError:
            raise KeyMissing(tenant_id) from None
        if len(key) != KEK_BYTES:
            raise KeyStoreError(f"key-encryption key of tenant {tenant_id} is corrupt")
        return key

    def _destroy(self, tenant_id: UUID) -> None:
        target = self._path(tenant_id)
        try:
            fd = os.open(target, os.O_WRONLY)
        except FileNotFoundError:
            return
        try:
            # Overwriting helps on plain disks; on SSDs or copy-on-write filesystems the old
            # blocks may survive, which is why production uses a KMS for this.
            size = max(os.fstat(fd).st_size, KEK_BYTES)
            os.write(fd, secrets.token_bytes(size))
            os.fsync(fd)
        finally:
            os.close(fd)
        target.unlink(missing_ok=True)
        fsync_directory(self._directory)
