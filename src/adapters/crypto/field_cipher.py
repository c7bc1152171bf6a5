"""Envelope encryption of personal fields (docs/architecture.md, Personal data, PLT-4).

Each tenant has a key-encryption key (KEK) in a key store outside the database and
versioned data keys (DEKs) stored in ``tenant_data_keys``, wrapped under the KEK. Values
are sealed with AES-256-GCM under the newest data key; older versions stay decrypt-only.
The associated data binds a value to its tenant, logical field name and row, so a
ciphertext copied elsewhere does not decrypt. Blind indexes use an HMAC key derived from
the KEK, so they survive data-key rotation and die with the KEK (crypto-shredding).

Ciphertext layout: format byte (1) | key version (4, big-endian) | nonce (12) | ciphertext
and GCM tag. The header is authenticated too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import time
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.crypto.keystore import KeyStore, KeyStoreError
from application.keys.ports import KEY_CACHE_SECONDS

FORMAT_V1 = 1
DATA_KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
BLIND_INDEX_INFO = b"shopkeeper blind index v1"

_HEADER = struct.Struct(">BI")  # format byte, key version
_MIN_BLOB = _HEADER.size + NONCE_BYTES + TAG_BYTES
_MAX_VERSION = 2**32 - 1


class UndecryptableValue(Exception):
    """The value cannot be decrypted here: moved, tampered with, or its key is gone."""


class TenantKeyUnavailable(UndecryptableValue):
    """The tenant's key-encryption key or data key is missing (destroyed or never created)."""


# ---- pure envelope functions -------------------------------------------------------


def associated_data(tenant_id: UUID, field: str, row_id: UUID) -> bytes:
    # Both UUIDs have a fixed form, so the field name between them cannot be ambiguous.
    return f"shopkeeper/v1|{tenant_id}|{field}|{row_id}".encode()


def seal(data_key: bytes, version: int, aad: bytes, plaintext: bytes) -> bytes:
    """Encrypt under ``data_key``; the header (format and version) is authenticated too."""
    if not 1 <= version <= _MAX_VERSION:
        raise ValueError(f"key version out of range: {version}")
    header = _HEADER.pack(FORMAT_V1, version)
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(data_key).encrypt(nonce, plaintext, header + aad)


def key_version(blob: bytes) -> int:
    """The data-key version a ciphertext names; ``UndecryptableValue`` if it is no ciphertext."""
    if len(blob) < _MIN_BLOB or blob[0] != FORMAT_V1:
        raise UndecryptableValue("not a field ciphertext of a known format")
    version: int = _HEADER.unpack_from(blob)[1]
    return version


def open_(data_key: bytes, aad: bytes, blob: bytes) -> bytes:
    """Decrypt a ``seal`` output; ``UndecryptableValue`` on any mismatch or tampering."""
    key_version(blob)
    header, nonce = blob[: _HEADER.size], blob[_HEADER.size : _HEADER.size + NONCE_BYTES]
    try:
        return AESGCM(data_key).decrypt(nonce, blob[_HEADER.size + NONCE_BYTES :], header + aad)
    except InvalidTag:
        raise UndecryptableValue(
            "ciphertext does not match this tenant, field and row, or was altered"
        ) from None


def _wrap_aad(tenant_id: UUID, version: int) -> bytes:
    return f"shopkeeper/dek/v1|{tenant_id}|{version}".encode()


def wrap_data_key(kek: bytes, tenant_id: UUID, version: int, data_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, _wrap_aad(tenant_id, version))


def unwrap_data_key(kek: bytes, tenant_id: UUID, version: int, wrapped: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(tenant_id, version)
        )
    except InvalidTag:
        raise TenantKeyUnavailable(
            f"data key {version} of tenant {tenant_id} does not unwrap under its current"
            " key-encryption key (destroyed and re-created?)"
        ) from None


def blind_index_key(kek: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=BLIND_INDEX_INFO).derive(kek)


def blind_index_digest(key: bytes, field: str, normalised: str) -> bytes:
    return hmac.new(key, f"{field}\x1f{normalised}".encode(), hashlib.sha256).digest()


# ---- the adapter -------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    expires_at: float


class _TenantCache(Generic[T]):
    """Per-tenant values with a TTL. A generation number per tenant lets ``evict`` win over
    a lookup that was already in flight, so a destroyed key is not cached again."""

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._entries: dict[UUID, dict[int, _Entry[T]]] = {}
        self._generations: dict[UUID, int] = {}

    def generation(self, tenant_id: UUID) -> int:
        return self._generations.get(tenant_id, 0)

    def get(self, tenant_id: UUID, slot: int) -> T | None:
        entry = self._entries.get(tenant_id, {}).get(slot)
        if entry is None:
            return None
        if entry.expires_at <= time.monotonic():
            del self._entries[tenant_id][slot]
            return None
        return entry.value

    def put(self, tenant_id: UUID, slot: int, value: T, generation: int) -> None:
        if generation != self.generation(tenant_id):
            return
        expires_at = time.monotonic() + self._ttl
        self._entries.setdefault(tenant_id, {})[slot] = _Entry(value, expires_at)

    def evict(self, tenant_id: UUID) -> None:
        self._generations[tenant_id] = self.generation(tenant_id) + 1
        self._entries.pop(tenant_id, None)


_BLIND_KEY_SLOT = 0
_CURRENT_VERSION_SLOT = 0


class EnvelopeFieldCipher:
    """``FieldCipher`` and ``TenantKeys`` over a ``KeyStore`` and ``tenant_data_keys``.

    ``platform_engine`` connects as ``shopkeeper_platform`` (bypasses RLS), so every query
    names the tenant explicitly. Unwrapped keys are cached in memory for a short TTL; other
    processes holding a cached key keep it until the TTL runs out after a ``destroy``.
    """

    def __init__(
        self,
        keystore: KeyStore,
        platform_engine: AsyncEngine,
        *,
        cache_ttl_seconds: float = KEY_CACHE_SECONDS,
    ) -> None:
        self._keystore = keystore
        self._engine = platform_engine
        self._data_keys: _TenantCache[bytes] = _TenantCache(cache_ttl_seconds)  # slot: version
        self._current_versions: _TenantCache[int] = _TenantCache(cache_ttl_seconds)
        self._blind_keys: _TenantCache[bytes] = _TenantCache(cache_ttl_seconds)

    # ---- FieldCipher ---------------------------------------------------------------

    async def encrypt(self, tenant_id: UUID, field: str, row_id: UUID, plaintext: str) -> bytes:
        version, data_key = await self._current_data_key(tenant_id)
        return seal(
            data_key, version, associated_data(tenant_id, field, row_id), plaintext.encode()
        )

    async def decrypt(self, tenant_id: UUID, field: str, row_id: UUID, ciphertext: bytes) -> str:
        blob = bytes(ciphertext)
        data_key = await self._data_key(tenant_id, key_version(blob))
        plaintext = open_(data_key, associated_data(tenant_id, field, row_id), blob)
        try:
            return plaintext.decode()
        except UnicodeDecodeError:
            raise UndecryptableValue("decrypted value is not UTF-8 text") from None

    async def blind_index(self, tenant_id: UUID, field: str, normalised: str) -> bytes:
        key = self._blind_keys.get(tenant_id, _BLIND_KEY_SLOT)
        if key is None:
            generation = self._blind_keys.generation(tenant_id)
            key = blind_index_key(await self._kek(tenant_id))
            self._blind_keys.put(tenant_id, _BLIND_KEY_SLOT, key, generation)
        return blind_index_digest(key, field, normalised)

    # ---- TenantKeys ----------------------------------------------------------------

    async def create(self, tenant_id: UUID) -> None:
        await self._keystore.create(tenant_id)
        kek = await self._kek(tenant_id)
        async with self._engine.begin() as conn:
            await self._lock_tenant_keys(conn, tenant_id)
            existing = await conn.scalar(
                text("SELECT 1 FROM tenant_data_keys WHERE tenant_id = :tenant_id LIMIT 1"),
                {"tenant_id": tenant_id},
            )
            if existing is None:
                await self._insert_data_key(conn, kek, tenant_id, 1)

    async def destroy(self, tenant_id: UUID) -> None:
        # The wrapped data keys go later with the tenant's rows; without the KEK they are
        # useless, in backups too.
        await self._keystore.destroy(tenant_id)
        for cache in (self._data_keys, self._current_versions, self._blind_keys):
            cache.evict(tenant_id)

    async def rotate(self, tenant_id: UUID) -> int:
        """Add a data-key version that encrypts from now on; older ones stay decrypt-only."""
        kek = await self._kek(tenant_id)
        generation = self._data_keys.generation(tenant_id)
        async with self._engine.begin() as conn:
            await self._lock_tenant_keys(conn, tenant_id)
            latest = await conn.scalar(
                text("SELECT max(id) FROM tenant_data_keys WHERE tenant_id = :tenant_id"),
                {"tenant_id": tenant_id},
            )
            version = (latest or 0) + 1
            data_key = await self._insert_data_key(conn, kek, tenant_id, version)
        self._data_keys.put(tenant_id, version, data_key, generation)
        self._current_versions.put(tenant_id, _CURRENT_VERSION_SLOT, version, generation)
        return version

    # ---- keys ----------------------------------------------------------------------

    async def _kek(self, tenant_id: UUID) -> bytes:
        try:
            return await self._keystore.load(tenant_id)
        except KeyStoreError as exc:
            raise TenantKeyUnavailable(str(exc)) from exc

    async def _current_data_key(self, tenant_id: UUID) -> tuple[int, bytes]:
        version = self._current_versions.get(tenant_id, _CURRENT_VERSION_SLOT)
        if version is not None:
            return version, await self._data_key(tenant_id, version)
        generation = self._current_versions.generation(tenant_id)
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT id, wrapped_key FROM tenant_data_keys"
                        " WHERE tenant_id = :tenant_id AND retired_at IS NULL"
                        " ORDER BY id DESC LIMIT 1"
                    ),
                    {"tenant_id": tenant_id},
                )
            ).first()
        if row is None:
            raise TenantKeyUnavailable(f"tenant {tenant_id} has no active data key")
        version = int(row.id)
        data_key = unwrap_data_key(
            await self._kek(tenant_id), tenant_id, version, bytes(row.wrapped_key)
        )
        self._data_keys.put(tenant_id, version, data_key, generation)
        self._current_versions.put(tenant_id, _CURRENT_VERSION_SLOT, version, generation)
        return version, data_key

    async def _data_key(self, tenant_id: UUID, version: int) -> bytes:
        data_key = self._data_keys.get(tenant_id, version)
        if data_key is not None:
            return data_key
        generation = self._data_keys.generation(tenant_id)
        async with self._engine.begin() as conn:
            wrapped = await conn.scalar(
                text(
                    "SELECT wrapped_key FROM tenant_data_keys"
                    " WHERE tenant_id = :tenant_id AND id = :version"
                ),
                {"tenant_id": tenant_id, "version": version},
            )
        if wrapped is None:
            raise UndecryptableValue(f"tenant {tenant_id} has no data key version {version}")
        data_key = unwrap_data_key(await self._kek(tenant_id), tenant_id, version, bytes(wrapped))
        self._data_keys.put(tenant_id, version, data_key, generation)
        return data_key

    @staticmethod
    async def _lock_tenant_keys(conn: AsyncConnection, tenant_id: UUID) -> None:
        # Serialises create/rotate per tenant, so two versions never race for one number.
        await conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:lock_key, 0))"),
            {"lock_key": f"tenant_data_keys:{tenant_id}"},
        )

    @staticmethod
    async def _insert_data_key(
        conn: AsyncConnection, kek: bytes, tenant_id: UUID, version: int
    ) -> bytes:
        data_key = os.urandom(DATA_KEY_BYTES)
        await conn.execute(
            text(
                "INSERT INTO tenant_data_keys (tenant_id, id, wrapped_key)"
                " VALUES (:tenant_id, :version, :wrapped_key)"
            ),
            {
                "tenant_id": tenant_id,
                "version": version,
                "wrapped_key": wrap_data_key(kek, tenant_id, version, data_key),
            },
        )
        return data_key
