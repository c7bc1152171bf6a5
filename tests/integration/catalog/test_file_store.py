"""The local file store (CAT-3): atomic writes, no way out of a tenant's directory, tenants
kept apart, and a deleted tenant's files removed with it."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image

from adapters.storage.local_files import TMP_DIR, LocalFileStore
from application.identity.tenant_operations import TenantOperations
from application.shared.files import FileKey
from bootstrap import Container
from tests.conftest import TenantHandle, support_context


class FailingStream(io.RawIOBase):
    """Yields some bytes, then fails, as a client connection dropping mid-upload would."""

    def __init__(self) -> None:
        self.sent = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self.sent:
            self.sent = True
            return b"half of the new file"
        raise OSError("connection lost")


async def _read(store: LocalFileStore, key: FileKey) -> bytes | None:
    chunks = await store.open(key)
    if chunks is None:
        return None
    return b"".join([c async for c in chunks])


async def test_writes_are_all_or_nothing(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    key = FileKey(uuid.uuid4(), ("catalog", "media", "f1", "original"))
    assert await store.open(key) is None and not await store.exists(key)
    await store.put(key, b"version one")
    assert await _read(store, key) == b"version one"

    with pytest.raises(OSError, match="connection lost"):
        await store.put(key, FailingStream())  # type: ignore[arg-type]
    assert await _read(store, key) == b"version one"  # the old file, whole
    assert list((tmp_path / TMP_DIR).iterdir()) == []  # no partial file left behind

    big = os.urandom(3 * 256 * 1024 + 17)  # several chunks, from a file object
    await store.put(key, io.BytesIO(big))
    assert await _read(store, key) == big
    await store.delete(key)
    await store.delete(key)  # already gone: no error
    assert not await store.exists(key)


@pytest.mark.parametrize(
    "segments",
    [(), ("..",), ("catalog", ".."), ("a/b",), ("..\\x",), ("",), (".hidden",), ("UPPER",)],
)
def test_keys_cannot_name_a_path_outside_their_tenant(segments: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        FileKey(uuid.uuid4(), segments)


async def test_a_symlink_inside_a_tenant_cannot_lead_out(tmp_path: Path) -> None:
    root, outside = tmp_path / "files", tmp_path / "outside"
    outside.mkdir()
    store = LocalFileStore(root)
    tenant = uuid.uuid4()
    (root / str(tenant)).mkdir(parents=True)
    (root / str(tenant) / "catalog").symlink_to(outside)
    with pytest.raises(ValueError, match="escapes"):
        await store.put(FileKey(tenant, ("catalog", "x")), b"data")
    assert list(outside.iterdir()) == []


async def test_tenants_never_share_a_file(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    a, b = uuid.uuid4(), uuid.uuid4()
    segments = ("catalog", "media", "same-id", "original")
    await store.put(FileKey(a, segments), b"A's bytes")
    await store.put(FileKey(b, segments), b"B's bytes")
    assert await _read(store, FileKey(a, segments)) == b"A's bytes"
    assert await _read(store, FileKey(b, segments)) == b"B's bytes"
    assert store.path_of(FileKey(a, segments)).is_relative_to(tmp_path / str(a))

    await store.delete_tenant(a)
    assert not (tmp_path / str(a)).exists()
    assert await _read(store, FileKey(b, segments)) == b"B's bytes"
    await store.delete_tenant(a)  # nothing left: no error


async def test_deleting_a_tenant_removes_its_files(
    tenant: TenantHandle, client: httpx.AsyncClient, container: Container
) -> None:
    owner = await tenant.headers("owner")
    product = await client.post(
        "/api/v1/catalog/products",
        json={"code": "DEL-1", "name": "删除", "skus": [{"code": "DEL-1-A"}]},
        headers=owner,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (9, 9, 9)).save(buffer, "PNG")
    uploaded = await client.post(
        f"/api/v1/catalog/products/{product.json()['id']}/media",
        files={"file": ("a.png", buffer.getvalue(), "image/png")},
        headers=owner,
    )
    assert uploaded.status_code == 201, uploaded.text
    tenant_dir = container.settings.file_store_dir / str(tenant.id)
    assert len([p for p in tenant_dir.rglob("*") if p.is_file()]) == 3

    await container.get(TenantOperations).delete(support_context("tenant leaves"), tenant.slug)
    assert not tenant_dir.exists()
