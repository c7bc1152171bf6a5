"""The customers module's encrypted columns, found by key rotation
(adapters/postgres/shared/encrypted_sources.py)."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.customers.repository import ADDRESSES, EMAIL, NAME, PHONE
from adapters.postgres.customers.tables import customers
from adapters.postgres.shared.encrypted_sources import EncryptedSource

SOURCES = (
    EncryptedSource(
        "customers",
        customers,
        "id",
        (
            ("name_enc", NAME),
            ("phone_enc", PHONE),
            ("email_enc", EMAIL),
            ("addresses_enc", ADDRESSES),
        ),
        UUID,
    ),
)
