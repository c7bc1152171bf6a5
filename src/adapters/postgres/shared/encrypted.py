"""The shared kernel's encrypted columns, found by key rotation like every module's
(adapters/postgres/shared/encrypted_sources.py)."""

from __future__ import annotations

from adapters.postgres.shared.encrypted_sources import EncryptedSource
from adapters.postgres.shared.idempotency import BODY_FIELD, cipher_row
from adapters.postgres.shared.tables import idempotency_keys

# Stored API responses (24 hours) may hold personal data or a one-time secret: key
# rotation re-encrypts them too (adapters/postgres/shared/encrypted_sources.py).
SOURCES = (
    EncryptedSource(
        "idempotency_keys", idempotency_keys, "id", (("body", BODY_FIELD),), cipher_row
    ),
)
