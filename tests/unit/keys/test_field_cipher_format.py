"""Properties of the pure envelope functions behind EnvelopeFieldCipher (PLT-4)."""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.crypto.field_cipher import (
    UndecryptableValue,
    associated_data,
    blind_index_digest,
    blind_index_key,
    key_version,
    open_,
    seal,
    unwrap_data_key,
    wrap_data_key,
)

KEY = os.urandom(32)
AAD = associated_data(uuid.uuid4(), "customer.name", uuid.uuid4())
versions = st.integers(min_value=1, max_value=2**32 - 1)


@given(st.text(), versions)
def test_seal_round_trips_any_text(plaintext: str, version: int) -> None:
    """PLT-4: any text, any key version, comes back unchanged; the version is readable."""
    blob = seal(KEY, version, AAD, plaintext.encode())
    assert key_version(blob) == version
    assert open_(KEY, AAD, blob).decode() == plaintext


@given(st.text(max_size=50), versions, st.data())
def test_any_single_byte_change_is_detected(
    plaintext: str, version: int, data: st.DataObject
) -> None:
    """PLT-4: changing any byte of a ciphertext (header included) makes it undecryptable."""
    blob = bytearray(seal(KEY, version, AAD, plaintext.encode()))
    position = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
    blob[position] ^= data.draw(st.integers(min_value=1, max_value=255))
    with pytest.raises(UndecryptableValue):
        open_(KEY, AAD, bytes(blob))


@given(st.text(max_size=50))
def test_other_associated_data_is_rejected(plaintext: str) -> None:
    """PLT-4: the same bytes under another tenant, field or row do not open."""
    tenant, row = uuid.uuid4(), uuid.uuid4()
    blob = seal(KEY, 1, associated_data(tenant, "customer.name", row), plaintext.encode())
    for aad in (
        associated_data(uuid.uuid4(), "customer.name", row),
        associated_data(tenant, "customer.email", row),
        associated_data(tenant, "customer.name", uuid.uuid4()),
    ):
        with pytest.raises(UndecryptableValue):
            open_(KEY, aad, blob)


@given(st.binary(max_size=40))
def test_short_or_foreign_blobs_are_rejected(blob: bytes) -> None:
    """PLT-4: bytes that are no ciphertext raise UndecryptableValue, nothing else."""
    with pytest.raises(UndecryptableValue):
        open_(KEY, AAD, blob)


def test_wrapped_data_key_is_bound_to_tenant_and_version() -> None:
    """PLT-4: a wrapped data key unwraps only for its own tenant and version."""
    kek, dek, tenant = os.urandom(32), os.urandom(32), uuid.uuid4()
    wrapped = wrap_data_key(kek, tenant, 3, dek)
    assert unwrap_data_key(kek, tenant, 3, wrapped) == dek
    for args in ((kek, tenant, 4), (kek, uuid.uuid4(), 3), (os.urandom(32), tenant, 3)):
        with pytest.raises(UndecryptableValue):
            unwrap_data_key(*args, wrapped)


@given(st.text(), st.text())
def test_blind_index_is_deterministic_and_keyed(field: str, value: str) -> None:
    """PLT-4: same key and input give the same digest; another tenant's KEK gives another."""
    key = blind_index_key(KEY)
    digest = blind_index_digest(key, field, value)
    assert len(digest) == 32
    assert blind_index_digest(blind_index_key(KEY), field, value) == digest
    assert blind_index_digest(blind_index_key(os.urandom(32)), field, value) != digest
