"""An in-memory ``FileStore``: the bytes of each key, whole or absent (as the local and
object stores write them: all or nothing, overwriting)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import BinaryIO
from uuid import UUID

from application.shared.files import FileKey, FileStore


class FakeFileStore(FileStore):
    def __init__(self) -> None:
        self.files: dict[FileKey, bytes] = {}

    async def put(self, key: FileKey, data: bytes | BinaryIO) -> None:
        self.files[key] = data if isinstance(data, bytes) else data.read()

    async def open(self, key: FileKey) -> AsyncIterator[bytes] | None:
        if key not in self.files:
            return None
        content = self.files[key]

        async def chunks() -> AsyncIterator[bytes]:
            yield content

        return chunks()

    async def exists(self, key: FileKey) -> bool:
        return key in self.files

    async def delete(self, key: FileKey) -> None:
        self.files.pop(key, None)

    async def delete_tenant(self, tenant_id: UUID) -> None:
        self.files = {k: v for k, v in self.files.items() if k.tenant_id != tenant_id}
