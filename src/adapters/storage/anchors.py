"""Audit anchors outside the database: one small file per tenant (PLT-3).

``<directory>/<tenant uuid>.anchor.json`` holds the tenant's newest digest::

    {"tenantId": "...", "seq": 42, "digest": "<64 hex>", "writtenAt": "..."}

Someone who can rewrite the database cannot rewrite this, so deleting the newest audit rows
together with their digests shows. Writes are atomic (a temporary file, fsync, rename,
fsync of the directory) and only move forward: under an exclusive ``flock`` on a per-tenant
lock file the stored seq is compared first, so two sealers racing never move it back.

Production keeps anchors somewhere the database's operators cannot rewrite: an object
store with object lock (WORM) or signed by a KMS key. Such an adapter implements the same
``AuditAnchorStore`` port, with a conditional write (if-match) in place of the flock.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from adapters.storage.durable import publish_private
from application.audit.sealing import AnchorUnreadable
from domain.audit.chain import DIGEST_BYTES, AuditAnchor


class FileAuditAnchorStore:
    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)

    def _path(self, tenant_id: UUID) -> Path:
        # str(UUID(...)) is canonical: no path separators can sneak in.
        return self._directory / f"{UUID(str(tenant_id))}.anchor.json"

    async def read(self, tenant_id: UUID) -> AuditAnchor | None:
        return await asyncio.to_thread(self._read, tenant_id)

    async def advance(self, tenant_id: UUID, anchor: AuditAnchor) -> bool:
        return await asyncio.to_thread(self._write, tenant_id, anchor, False)

    async def replace(self, tenant_id: UUID, anchor: AuditAnchor) -> None:
        """Overwrite whatever is stored, backwards too: only for a deliberate re-anchoring
        (e.g. after restoring the database from a backup)."""
        await asyncio.to_thread(self._write, tenant_id, anchor, True)

    def _read(self, tenant_id: UUID) -> AuditAnchor | None:
        try:
            raw = self._path(tenant_id).read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = json.loads(raw)
            if data["tenantId"] != str(tenant_id):
                raise AnchorUnreadable(f"the anchor file names tenant {data['tenantId']}")
            seq, digest = int(data["seq"]), bytes.fromhex(data["digest"])
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorUnreadable(f"{self._path(tenant_id)}: {error}") from None
        if seq < 1 or len(digest) != DIGEST_BYTES:
            raise AnchorUnreadable(f"{self._path(tenant_id)}: malformed seq or digest")
        return AuditAnchor(seq, digest)

    @contextlib.contextmanager
    def _locked(self, tenant_id: UUID) -> Iterator[None]:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = self._directory / f"{UUID(str(tenant_id))}.lock"
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _write(self, tenant_id: UUID, anchor: AuditAnchor, force: bool) -> bool:
        with self._locked(tenant_id):
            if not force:
                try:
                    current = self._read(tenant_id)
                except AnchorUnreadable:
                    # Never overwrite evidence we cannot read: verify reports it.
                    return False
                if current is not None and current.seq >= anchor.seq:
                    return False
            body = json.dumps(
                {
                    "tenantId": str(tenant_id),
                    "seq": anchor.seq,
                    "digest": anchor.digest.hex(),
                    "writtenAt": datetime.now(UTC).isoformat(),
                }
            ).encode()
            publish_private(self._path(tenant_id), body, overwrite=True)
            return True
