"""The file store on a local directory (``SHOPKEEPER_FILE_STORE_DIR``, CAT-3).

``<root>/<tenant uuid>/<segment>/.../<segment>``: the tenant id leads every path, and the
segments are checked by ``FileKey`` (lower-case letters, digits, ``-``, ``_``, ``.``, never
``..`` or a separator), so no key can point outside its tenant's directory; the resolved
path is checked against the root once more before any write or delete.

Writes are atomic: the bytes go to a temporary file under ``<root>/.tmp`` (same file
system), are fsynced, then renamed over the final name, and the directory is fsynced; a
reader sees the old file or the new one, never half of one. A crash leaves at most a
``.tmp/*.part`` file, which nothing references (safe to delete when older than a day).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

from adapters.storage.durable import fsync_directory
from application.shared.files import FileKey

CHUNK = 256 * 1024
TMP_DIR = ".tmp"


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self._root = Path(root).resolve()

    def _tenant_dir(self, tenant_id: UUID) -> Path:
        return self._root / str(UUID(str(tenant_id)))  # canonical: no separators

    def path_of(self, key: FileKey) -> Path:
        path = self._tenant_dir(key.tenant_id).joinpath(*key.segments).resolve()
        if not path.is_relative_to(self._tenant_dir(key.tenant_id)):
            raise ValueError(f"file key escapes its tenant: {key}")
        return path

    async def put(self, key: FileKey, data: bytes | BinaryIO) -> None:
        await asyncio.to_thread(self._put, self.path_of(key), data)

    def _put(self, target: Path, data: bytes | BinaryIO) -> None:
        tmp_dir = self._root / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = tmp_dir / f"{uuid.uuid4().hex}.part"
        try:
            with part.open("wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    while chunk := data.read(CHUNK):
                        out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        fsync_directory(target.parent)

    async def open(self, key: FileKey) -> AsyncIterator[bytes] | None:
        path = self.path_of(key)
        if not await asyncio.to_thread(path.is_file):
            return None
        return self._chunks(path)

    async def _chunks(self, path: Path) -> AsyncIterator[bytes]:
        # Opened on the first read, so a response that is never sent (304) holds no handle.
        handle = await asyncio.to_thread(path.open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    async def exists(self, key: FileKey) -> bool:
        return await asyncio.to_thread(self.path_of(key).is_file)

    async def delete(self, key: FileKey) -> None:
        path = self.path_of(key)
        await asyncio.to_thread(path.unlink, True)

    async def delete_tenant(self, tenant_id: UUID) -> None:
        await asyncio.to_thread(shutil.rmtree, self._tenant_dir(tenant_id), True)
